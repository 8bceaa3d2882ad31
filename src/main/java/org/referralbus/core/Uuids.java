package org.referralbus.core;

import java.util.regex.Pattern;

/** Ids that the schemas type as {@code Uuid}: referral and delivery ids. */
public final class Uuids {

    /** The canonical 8-4-4-4-12 hexadecimal form, either case, as the schemas' {@code Uuid} pattern. */
    private static final Pattern CANONICAL = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Uuids() {
    }

    public static boolean canonical(String text) {
        return text != null && CANONICAL.matcher(text).matches();
    }
}

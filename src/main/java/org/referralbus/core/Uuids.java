package org.referralbus.core;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Ids that the schemas type as {@code Uuid}: referral and delivery ids. UUIDs are case-insensitive on input (RFC 9562)
 * and agencies' systems print them in either case, so the bus keeps one form of a referral id, {@link #key}, in every
 * row it stores and every lookup it makes.
 */
public final class Uuids {

    /** The canonical 8-4-4-4-12 hexadecimal form, either case, as the schemas' {@code Uuid} pattern. */
    private static final Pattern CANONICAL = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Uuids() {
    }

    public static boolean canonical(String text) {
        return text != null && CANONICAL.matcher(text).matches();
    }

    /** The form the bus stores, keys on and looks up: lower case. Null stays null. */
    public static String key(String id) {
        return id == null ? null : id.toLowerCase(Locale.ROOT);
    }
}

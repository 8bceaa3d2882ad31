package org.referralbus.core;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hash by which the bus tells the same referral from other content under the same id (dedupe) and derives
 * delivery ids: SHA-256 of the referral XML with the UUIDs of its header ({@code referralId},
 * {@code relatedReferralId}, {@code supersedes}) in lower case. UUIDs are case-insensitive (RFC 9562), and an agency's
 * other component, or its database after a round trip, prints them in upper case: that resend is the same referral,
 * not a conflict. XML whose header ids are lower case already hashes as its bytes do, so the hashes stored before
 * this and the delivery ids derived from them stay as they were.
 *
 * <p>Implementation note: the bytes are read as ISO-8859-1, one char per byte. Element names and UUIDs are ASCII,
 * which UTF-8 writes as itself, so they are found without decoding and no other byte changes. An id written with
 * character references, or a document in UTF-16, hashes as its bytes do: a resend in other case is then a conflict,
 * as it always was.
 */
public final class ReferralContentSha256 {

    private static final Pattern HEADER_UUID = Pattern.compile(
            "(<(?:[A-Za-z_][\\w.-]*:)?(?:referralId|relatedReferralId|supersedes)(?:\\s[^<>]*)?>)"
                    + "([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?=</)");

    private ReferralContentSha256() {
    }

    public static String of(byte[] xml) {
        return of(xml, null);
    }

    /** The same, given the SHA-256 of {@code xml} as it is (an opened envelope has it): not computed again when no id changes. */
    public static String of(byte[] xml, String sha256AsIs) {
        String text = new String(xml, StandardCharsets.ISO_8859_1);
        Matcher id = HEADER_UUID.matcher(text);
        StringBuilder canonical = new StringBuilder(text.length());
        boolean changed = false;
        while (id.find()) {
            String lower = id.group(2).toLowerCase(Locale.ROOT);
            changed |= !lower.equals(id.group(2));
            id.appendReplacement(canonical, Matcher.quoteReplacement(id.group(1) + lower));
        }
        if (!changed) {
            return sha256AsIs != null ? sha256AsIs : Sha256.hex(xml);
        }
        id.appendTail(canonical);
        return Sha256.hex(canonical.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}

package org.referralbus.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hostile referral XML that is easier to generate than to commit (sizes, broken encodings). */
public final class HostileReferrals {

    private HostileReferrals() {
    }

    /** A valid example with {@code depth} nested elements right under the root. */
    public static byte[] deeplyNested(String xml, int depth) {
        int rootEnd = xml.indexOf('>', xml.indexOf("<referral")) + 1;
        String nested = "<n>".repeat(depth) + "</n>".repeat(depth);
        return (xml.substring(0, rootEnd) + nested + xml.substring(rootEnd)).getBytes(StandardCharsets.UTF_8);
    }

    /** A valid example whose first familyName contains a byte sequence that is not UTF-8. */
    public static byte[] invalidUtf8(String xml) {
        int at = xml.indexOf("<familyName>") + "<familyName>".length();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(xml.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        out.writeBytes(xml.substring(at).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A valid example whose notes hold {@code megabytes} MB of text. */
    public static byte[] hugeNotes(String xml, int megabytes) {
        int at = xml.indexOf("</notes>");
        if (at < 0) {
            throw new IllegalArgumentException("example has no notes");
        }
        StringBuilder text = new StringBuilder(megabytes * 1024 * 1024);
        String line = "lorem ipsum dolor sit amet, consectetur adipiscing elit; ";
        while (text.length() < megabytes * 1024 * 1024) {
            text.append(line);
        }
        return (xml.substring(0, at) + text + xml.substring(at)).getBytes(StandardCharsets.UTF_8);
    }

    /** The example with the text of its first {@code element} replaced by {@code text} (which may be 'T' × 200 000). */
    public static byte[] withText(String xml, String element, String text) {
        String open = "<" + element + ">";
        int start = xml.indexOf(open);
        if (start < 0) {
            throw new IllegalArgumentException("example has no " + element);
        }
        int end = xml.indexOf("</" + element + ">", start);
        return (xml.substring(0, start + open.length()) + text + xml.substring(end)).getBytes(StandardCharsets.UTF_8);
    }

    /** The example with the value of its first attribute {@code name} replaced by {@code value}. */
    public static byte[] withAttribute(String xml, String name, String value) {
        return xml.replaceFirst(name + "=\"[^\"]*\"", name + "=\"" + value + "\"").getBytes(StandardCharsets.UTF_8);
    }
}

package org.referralbus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Plaintext referral fixtures from {@code schemas/examples} and {@code src/test/resources/referrals}. */
public final class ReferralExamples {

    private ReferralExamples() {
    }

    public static String example(String name) {
        return read(Path.of("schemas/examples", name + ".xml"));
    }

    public static String fixture(String relative) {
        return read(Path.of("src/test/resources/referrals", relative));
    }

    /**
     * The example with a fresh referralId and a fresh person (a random suffix on the family name), so tests sharing
     * one database neither collide nor get linked as the same person by case linking.
     */
    public static String withFreshId(String xml) {
        String suffix = UUID.randomUUID().toString().replaceAll("[^a-f]", "");
        return xml.replaceFirst("<referralId>[^<]+</referralId>", "<referralId>" + UUID.randomUUID() + "</referralId>")
                .replaceFirst("</familyName>", "-" + suffix + "</familyName>");
    }

    public static String referralId(String xml) {
        int start = xml.indexOf("<referralId>") + "<referralId>".length();
        return xml.substring(start, xml.indexOf("</referralId>", start));
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

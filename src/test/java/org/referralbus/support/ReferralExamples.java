package org.referralbus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
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
     * one database neither collide nor get linked as the same person by case linking, created just now, so it lies
     * inside the bus's replay window.
     */
    public static String withFreshId(String xml) {
        // Every name gets its own random tail: the typo-tolerant linker (issue 16) would still link two people who
        // share a given name, patronymic and birth date and whose family names differ only in a short tail. Twenty
        // letters, not ten: with ten, 6 of 300 000 pairs of the example's person linked (a throwaway run of
        // PersonEncoder and SimilarityMatcher, session 34), which in a build's hundreds of referrals sent a stray
        // linked-case notice to the coordinator now and then; with twenty, none did.
        return withCreatedAt(xml.replaceFirst("<referralId>[^<]+</referralId>", "<referralId>" + UUID.randomUUID() + "</referralId>")
                .replaceFirst("</givenName>", "-" + randomLetters() + "</givenName>")
                .replaceFirst("</familyName>", "-" + randomLetters() + "</familyName>")
                .replaceFirst("</patronymic>", "-" + randomLetters() + "</patronymic>"), OffsetDateTime.now(ZoneOffset.ofHours(5)));
    }

    private static String randomLetters() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        return letters.toString();
    }

    public static String withCreatedAt(String xml, OffsetDateTime createdAt) {
        return xml.replaceFirst("<createdAt>[^<]+</createdAt>", "<createdAt>"
                + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(createdAt.truncatedTo(ChronoUnit.SECONDS)) + "</createdAt>");
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

package org.referralbus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.PemFiles;

/**
 * Sealed referrals for the benchmark, made before any clock starts: the published example (three needs: shelter,
 * medical, psychosocial) sent by each of the sample agencies in turn, each with a fresh referralId, a fresh person
 * and {@code createdAt} now. Signed with the agency's sample key and encrypted for the bus, as an agency does.
 *
 * <p>The person: given, family and father's names made of random syllables and an adult birth date drawn from 45
 * years, so case linking finds no earlier case and the typo-tolerant matcher's blocks hold the few people a real
 * population puts there. (Copies of one person that differ only in a suffix on the family name are near-duplicates:
 * each new referral then shares blocks with every earlier one, and linking costs grow with the data.)
 */
final class BenchReferrals {

    static final String EXAMPLE = "schemas/examples/border-service-adult-woman-shelter-dushanbe.xml";
    static final List<String> AGENCIES = List.of("border-service", "interior-ministry", "iom-mission", "ngo-hotline");

    /** One envelope, with who sent it and its id (to ask for its status). */
    record Sealed(String agency, String referralId, byte[] envelope) {
    }

    private final String example;
    private final Path keys;
    private final X509Certificate busCertificate;
    private final List<EnvelopeSealer> sealers = new ArrayList<>();
    private final java.util.Random random = new java.util.Random();
    private static final String CONSONANTS = "бвгдзйклмнпрстфхчшқғҳҷ";
    private static final String VOWELS = "аеиоуӣӯ";

    BenchReferrals(Path keys, X509Certificate busCertificate) {
        this.keys = keys;
        this.busCertificate = busCertificate;
        try {
            this.example = Files.readString(Path.of(EXAMPLE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + EXAMPLE + ": run the bench from the project folder", e);
        }
        for (String agency : AGENCIES) {
            sealers.add(new EnvelopeSealer(PemFiles.readPrivateKey(agencyFile(agency, ".key")),
                    PemFiles.readCertificate(agencyFile(agency, ".crt"))));
        }
    }

    private String name(int syllables) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < syllables; i++) {
            name.append(CONSONANTS.charAt(random.nextInt(CONSONANTS.length()))).append(VOWELS.charAt(random.nextInt(VOWELS.length())));
        }
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    Path agencyFile(String agency, String extension) {
        return keys.resolve("agencies").resolve(agency + extension);
    }

    List<Sealed> seal(int count) {
        List<Sealed> sealed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int a = i % AGENCIES.size();
            String agency = AGENCIES.get(a);
            String referralId = UUID.randomUUID().toString();
            String xml = example.replace("agencyId=\"border-service\"", "agencyId=\"" + agency + "\"")
                    .replaceFirst("<referralId>[^<]+</referralId>", "<referralId>" + referralId + "</referralId>")
                    .replaceFirst("<givenName>[^<]+</givenName>", "<givenName>" + name(3) + "</givenName>")
                    .replaceFirst("<familyName>[^<]+</familyName>", "<familyName>" + name(3) + "ова</familyName>")
                    .replaceFirst("<patronymic>[^<]+</patronymic>", "<patronymic>" + name(3) + "овна</patronymic>")
                    .replaceFirst("<birthDate>[^<]+</birthDate>", "<birthDate>"
                            + LocalDate.of(1960, 1, 1).plusDays(random.nextInt(45 * 365)) + "</birthDate>")
                    .replaceFirst("<createdAt>[^<]+</createdAt>", "<createdAt>" + DateTimeFormatter.ISO_OFFSET_DATE_TIME
                            .format(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)) + "</createdAt>");
            sealed.add(new Sealed(agency, referralId, sealers.get(a).seal(xml.getBytes(StandardCharsets.UTF_8), busCertificate)));
        }
        return sealed;
    }
}

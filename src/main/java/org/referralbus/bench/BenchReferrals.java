package org.referralbus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
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
 * medical, psychosocial) sent by each of the sample agencies in turn, each with a fresh referralId, a fresh person (a
 * random suffix on the family name, so case linking finds no earlier case) and {@code createdAt} now. Signed with the
 * agency's sample key and encrypted for the bus, as an agency does.
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

    Path agencyFile(String agency, String extension) {
        return keys.resolve("agencies").resolve(agency + extension);
    }

    List<Sealed> seal(int count) {
        List<Sealed> sealed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int a = i % AGENCIES.size();
            String agency = AGENCIES.get(a);
            String referralId = UUID.randomUUID().toString();
            String suffix = UUID.randomUUID().toString().replaceAll("[^a-f]", "");
            String xml = example.replace("agencyId=\"border-service\"", "agencyId=\"" + agency + "\"")
                    .replaceFirst("<referralId>[^<]+</referralId>", "<referralId>" + referralId + "</referralId>")
                    .replaceFirst("</familyName>", "-" + suffix + "</familyName>")
                    .replaceFirst("<createdAt>[^<]+</createdAt>", "<createdAt>" + DateTimeFormatter.ISO_OFFSET_DATE_TIME
                            .format(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)) + "</createdAt>");
            sealed.add(new Sealed(agency, referralId, sealers.get(a).seal(xml.getBytes(StandardCharsets.UTF_8), busCertificate)));
        }
        return sealed;
    }
}

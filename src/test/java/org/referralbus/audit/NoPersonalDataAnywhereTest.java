package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * Referrals whose names and notes carry unique markers go through every path (accepted, duplicate, conflict,
 * schema rejections, no consent, queue intake accepted and parked); then the log file, every file of the database and the broker journal, and the
 * audit export, the statistics facts and answer are searched for the markers in UTF-8, UTF-16LE/BE and base64.
 * Nothing may be found. The bus is
 * also closed, so this checks the checkpoint signed on shutdown.
 */
class NoPersonalDataAnywhereTest {

    private static final String CMS = "application/pkcs7-mime";

    @Test
    void markersFromNamesAndNotesAppearNowhereOutsideSealedEnvelopes() throws Exception {
        Path root = Path.of("target", "no-personal-data-" + UUID.randomUUID()).toAbsolutePath();
        Path dataDir = root.resolve("data");
        Path log = root.resolve("bus.log");
        String latin = "MARKER-" + UUID.randomUUID();
        String cyrillic = "МАРКЕР-" + UUID.randomUUID().toString().substring(0, 13).replace('-', 'Ж');
        String notes = "NOTE-" + UUID.randomUUID();
        String tooLong = "LONG-" + UUID.randomUUID() + "Я".repeat(220);
        String district = "DISTRICT-" + UUID.randomUUID();
        String phone = "+992 " + String.format("%012d", Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 1_000_000_000_000L));
        List<String> markers = List.of(latin, cyrillic, notes, "LONG-" + tooLong.substring(5, 41), district, phone.substring(5));
        this.district = district;
        this.phone = phone;
        byte[] export;
        String acceptedId;
        String factsRow;
        byte[] statisticsAnswer;

        // A test context still open in this JVM keeps logging initialised, and the bus would then never open its log
        // file: reset it so this bus's logging.file.name takes effect whatever ran before.
        LoggingSystem.get(getClass().getClassLoader()).cleanUp();
        try (StandaloneBus bus = StandaloneBus.start(dataDir, "--logging.file.name=" + log,
                "--logging.level.org.referralbus=DEBUG")) {
            MutualTlsClient agency = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "border-service"),
                    SampleKeys.key("agencies", "border-service"));
            String accepted = marked(latin, cyrillic, notes);
            acceptedId = ReferralExamples.referralId(accepted);
            byte[] envelope = seal(accepted);
            assertThat(agency.post("/api/v1/referrals", envelope, CMS).statusCode()).isEqualTo(202);
            assertThat(agency.post("/api/v1/referrals", envelope, CMS).statusCode()).as("duplicate").isEqualTo(202);
            assertThat(agency.post("/api/v1/referrals", seal(accepted.replace(notes, notes + " changed")), CMS).statusCode())
                    .as("conflict").isEqualTo(409);
            String noConsent = ReferralExamples.withFreshId(marked(latin, cyrillic, notes))
                    .replace("<given>true</given>", "<given>false</given>");
            assertThat(agency.post("/api/v1/referrals", seal(noConsent), CMS).statusCode()).as("no consent").isEqualTo(202);
            String missingConsent = ReferralExamples.withFreshId(marked(latin, cyrillic, notes))
                    .replaceAll("(?s)<consent>.*</consent>", "");
            assertThat(agency.post("/api/v1/referrals", seal(missingConsent), CMS).statusCode()).as("schema").isEqualTo(400);
            String nameTooLong = ReferralExamples.withFreshId(marked(tooLong, cyrillic, notes));
            assertThat(agency.post("/api/v1/referrals", seal(nameTooLong), CMS).statusCode()).as("facet").isEqualTo(400);

            // The queue intake: one accepted, one parked (still sealed) on referrals.intake.rejected and left there.
            JmsTemplate jms = bus.bean(JmsTemplate.class);
            JdbcTemplate jdbc = bus.bean(JdbcTemplate.class);
            String viaQueue = ReferralExamples.withFreshId(marked(latin, cyrillic, notes));
            String parked = ReferralExamples.withFreshId(marked(latin, cyrillic, notes)).replaceAll("(?s)<consent>.*</consent>", "");
            for (String xml : List.of(viaQueue, parked)) {
                jms.send("referrals.intake", session -> {
                    var message = session.createBytesMessage();
                    message.writeBytes(seal(xml));
                    return message;
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM audit_event WHERE event_type = 'REJECTED'", Integer.class) >= 3
                    && jdbc.queryForObject("SELECT COUNT(*) FROM referral WHERE referral_id = ?", Integer.class,
                    ReferralExamples.referralId(viaQueue)) == 1);

            MutualTlsClient auditor = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("auditors", "oversight-board"),
                    SampleKeys.key("auditors", "oversight-board"));
            HttpResponse<byte[]> response = auditor.get("/api/v1/audit/export");
            assertThat(response.statusCode()).isEqualTo(200);
            export = response.body();
            Files.write(root.resolve("export.jsonl"), export);

            // Statistics keep codes only (issue 17): referral_facts has exactly the aggregable attributes of
            // docs/statistics.md (a new column must be argued for there and here), the accepted referral's row holds
            // its codes and no birth date, destination, recruitment, period, language or urgency, and the row and the
            // statistics answer join the places searched for the name, note, district and phone markers. declined_at and
            // escalated_at (V24) are times of the bus's own events, as accepted_at: outcomes are counted as of a cut-off.
            assertThat(jdbc.queryForList("SELECT LOWER(column_name) FROM information_schema.columns "
                    + "WHERE LOWER(table_name) = 'referral_facts'", String.class)).containsExactlyInAnyOrder("sender",
                    "referral_id", "case_id", "received_at", "category", "exploitation", "sex", "age_band", "nationality",
                    "region", "services", "outcome", "accepted_at", "declined_at", "escalated_at");
            Map<String, Object> facts = jdbc.queryForMap("SELECT * FROM referral_facts WHERE referral_id = ?", acceptedId);
            factsRow = facts.toString();
            assertThat(facts).containsEntry("SENDER", "border-service").containsEntry("CATEGORY", "PRESUMED_VICTIM")
                    .containsEntry("EXPLOITATION", "SEXUAL").containsEntry("SEX", "FEMALE").containsEntry("NATIONALITY", "TJ")
                    .containsEntry("REGION", "DUSHANBE").containsEntry("SERVICES", "MEDICAL,PSYCHOSOCIAL,SHELTER");
            assertThat((String) facts.get("AGE_BAND")).as("a band, never the age").matches("\\d+-\\d+|65\\+");
            assertThat((String) facts.get("CASE_ID")).as("the person only as an opaque case id")
                    .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            // Ids are random (the case id's shape is checked above) and times are the bus's own: "1998" turned up in a
            // case id by chance (…-b719985e). The attributes are what must not carry the birth date and the rest.
            Map<String, Object> attributes = new LinkedHashMap<>(facts);
            List.of("REFERRAL_ID", "CASE_ID", "RECEIVED_AT", "ACCEPTED_AT", "DECLINED_AT", "ESCALATED_AT").forEach(attributes::remove);
            assertThat(attributes.toString()).doesNotContain("1998", "04-12", "AE", "ACQUAINTANCE", "tg", "2025-03-01", "URGENT");
            HttpResponse<byte[]> statistics = auditor.get("/api/v1/statistics?by=sex,ageBand,region");
            assertThat(statistics.statusCode()).isEqualTo(200);
            statisticsAnswer = statistics.body();
        }

        Map<String, byte[]> places = new LinkedHashMap<>();
        places.put("log " + log, Files.readAllBytes(log));
        places.put("audit export", export);
        places.put("referral_facts row", factsRow.getBytes(StandardCharsets.UTF_8));
        places.put("statistics answer", statisticsAnswer);
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                places.put(file.toString(), Files.readAllBytes(file));
            }
        }
        assertThat(places.keySet()).anyMatch(p -> p.contains("artemis")).anyMatch(p -> p.endsWith(".mv.db"));
        // Control: the search does see what the bus may store in the clear (ids), so an empty result means something.
        byte[] idBytes = acceptedId.getBytes(StandardCharsets.UTF_8);
        assertThat(places.entrySet()).filteredOn(p -> p.getKey().endsWith(".mv.db"))
                .anySatisfy(p -> assertThat(indexOf(p.getValue(), idBytes)).isNotNegative());
        assertThat(indexOf(places.get("log " + log), "border-service".getBytes(StandardCharsets.UTF_8))).isNotNegative();
        List<String> found = new ArrayList<>();
        for (String marker : markers) {
            for (Map.Entry<String, byte[]> place : places.entrySet()) {
                for (Map.Entry<String, byte[]> form : encodings(marker).entrySet()) {
                    if (indexOf(place.getValue(), form.getValue()) >= 0) {
                        found.add(marker + " as " + form.getKey() + " in " + place.getKey());
                    }
                }
            }
        }
        assertThat(found).as("personal data outside sealed envelopes").isEmpty();
        assertThat(new String(export, StandardCharsets.UTF_8)).contains("\"REJECTED\"", "schema_violation", "DUPLICATE",
                "duplicate_conflict", "DELIVERED");

        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            long head = db.jdbc.queryForObject("SELECT seq FROM audit_head", Long.class);
            assertThat(db.checkpoints.latest()).as("checkpoint signed on shutdown")
                    .hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(head));
            assertThat(db.verifier.verify().intact()).isTrue();
        }
    }

    private String district;
    private String phone;

    private String marked(String given, String family, String notes) {
        return ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))
                .replaceFirst("<district>[^<]*</district>", "<district>" + district + "</district>")
                .replaceFirst("</location>", "</location>\n    <phone>" + phone + "</phone>")
                .replaceFirst("<givenName>[^<]*</givenName>", "<givenName>" + given + "</givenName>")
                .replaceFirst("<familyName>[^<]*</familyName>", "<familyName>" + family + "</familyName>")
                .replaceFirst("<patronymic>[^<]*</patronymic>", "<patronymic>" + family + "</patronymic>")
                .replaceFirst("(?s)<notes>.*</notes>", "<notes>" + notes + " " + family + "</notes>");
    }

    private static byte[] seal(String xml) {
        return SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
    }

    /** The marker as the bus might write it: text encodings, and base64 of its UTF-8 at each of the 3 alignments. */
    private static Map<String, byte[]> encodings(String marker) {
        Map<String, byte[]> forms = new LinkedHashMap<>();
        for (Charset charset : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            forms.put(charset.name(), marker.getBytes(charset));
        }
        byte[] utf8 = marker.getBytes(StandardCharsets.UTF_8);
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + utf8.length];
            System.arraycopy(utf8, 0, shifted, shift, utf8.length);
            String encoded = Base64.getEncoder().encodeToString(shifted);
            // Drop the characters that depend on bytes before or after the marker.
            String stable = encoded.substring(shift == 0 ? 0 : 4, encoded.length() - 4);
            forms.put("base64/" + shift, stable.getBytes(StandardCharsets.US_ASCII));
        }
        return forms;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

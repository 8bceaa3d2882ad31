package org.referralbus.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.referralbus.audit.AuditChainVerifier;
import org.referralbus.cli.ReferralBusCommandLine;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.statistics.Dimension;
import org.referralbus.statistics.Granularity;
import org.referralbus.statistics.Outcome;
import org.referralbus.statistics.ReferralFacts;
import org.referralbus.statistics.Statistics;
import org.referralbus.statistics.StatisticsQuery;
import org.referralbus.statistics.StatisticsReport;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sealed envelopes and copies are kept while a referral is open and for the retention period after its last need
 * closed, then purged with a PURGED row; the coordinator can erase one at any time; statistics count what remains
 * exactly as before. Over real mutual TLS; the purge is run with a "now" past the period instead of waiting 90 days.
 */
class RetentionAndErasureEndToEndTest extends RunningBus {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger BIRTH_YEARS = new AtomicInteger();

    @Autowired
    RetentionPurge purge;
    @Autowired
    ReferralLedger referrals;
    @Autowired
    AuditChainVerifier verifier;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    Statistics statistics;
    @Autowired
    ReferralFacts facts;

    @Test
    void closedReferralIsPurgedAfterNinetyDaysKeepingIdsAndHashes() throws Exception {
        String referralId = submit();
        // The two providers' copies, plus the coordinator's notice when an earlier test of this class referred the same person.
        int copies = jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND sealed_envelope IS NOT NULL",
                Integer.class, referralId);
        assertThat(copies).isBetween(2, 3);
        String legalDelivery = deliveryOf(referralId, "legal-aid-khujand");
        accept("legal-aid-khujand", legalDelivery);
        OffsetDateTime now = OffsetDateTime.now();

        purge.purge(now.plusDays(400));
        assertThat(referrals.sealedEnvelope("interior-ministry", referralId)).as("one need is still open").isPresent();

        accept("reintegration-national", deliveryOf(referralId, "reintegration-national"));
        // the run looks only at envelopes received before its cut-off: none younger can have closed before it
        assertThat(referrals.keptEnvelopes(now.minusDays(1))).noneMatch(kept -> kept.referralId().equals(referralId));
        assertThat(referrals.keptEnvelopes(now.plusDays(1))).anyMatch(kept -> kept.referralId().equals(referralId));
        purge.purge(now.plusDays(89));
        assertThat(referrals.sealedEnvelope("interior-ministry", referralId)).as("closed, but within 90 days").isPresent();

        purge.purge(now.plusDays(91));

        assertThat(referrals.sealedEnvelope("interior-ministry", referralId)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND sealed_envelope IS NOT NULL",
                Integer.class, referralId)).isZero();
        HttpResponse<byte[]> fetch = provider("legal-aid-khujand").get("/api/v1/inbox/" + legalDelivery);
        assertThat(fetch.statusCode()).isEqualTo(404);
        assertThat(json.readTree(fetch.body()).get("code").asString()).isEqualTo("not_found");
        Map<String, Object> purged = jdbc.queryForMap("SELECT actor, counterpart, envelope_sha256, detail FROM audit_event "
                + "WHERE event_type = 'PURGED' AND referral_id = ?", referralId);
        assertThat(purged.get("ACTOR")).isEqualTo("referral-bus");
        assertThat(purged.get("COUNTERPART")).isEqualTo("interior-ministry");
        assertThat(purged.get("DETAIL")).isEqualTo("retention:closed+PT2160H;envelope:removed;sealed-copies:" + copies);
        assertThat(((String) purged.get("ENVELOPE_SHA256")).trim()).isEqualTo(receivedEnvelopeHash(referralId));
        assertThat(referrals.find("interior-ministry", referralId)).hasValueSatisfying(r ->
                assertThat(r.envelopeSha256()).isEqualTo(receivedEnvelopeHash(referralId)));
        assertThat(agency("interior-ministry").get("/api/v1/referrals/" + referralId + "/status").statusCode()).isEqualTo(200);
        assertThat(verifier.verify().intact()).isTrue();

        purge.purge(now.plusDays(92));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'PURGED' AND referral_id = ?",
                Integer.class, referralId)).as("purged once").isEqualTo(1);
    }

    @Test
    void coordinatorErasesAReferralOnRequestAndTheTrailStillVerifies() throws Exception {
        String referralId = submit();
        // The two providers' copies, plus the coordinator's notice when an earlier test of this class referred the same person.
        int copies = jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND sealed_envelope IS NOT NULL",
                Integer.class, referralId);
        assertThat(copies).isBetween(2, 3);
        long rowsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE referral_id = ?", Long.class, referralId);

        StringWriter out = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(out), "erase", "--bus", baseUrl(), "--as", "coordinator",
                "--sender", "interior-ministry", referralId);

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains(referralId + " from interior-ministry: envelope erased, " + copies + " sealed copies erased");
        assertThat(referrals.sealedEnvelope("interior-ministry", referralId)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND sealed_envelope IS NOT NULL",
                Integer.class, referralId)).isZero();
        Map<String, Object> erased = jdbc.queryForMap("SELECT actor, counterpart, envelope_sha256, detail FROM audit_event "
                + "WHERE event_type = 'ERASED' AND referral_id = ?", referralId);
        assertThat(erased.get("ACTOR")).isEqualTo("coordinator");
        assertThat(erased.get("DETAIL")).isEqualTo("erasure-request;envelope:removed;sealed-copies:" + copies);
        assertThat(((String) erased.get("ENVELOPE_SHA256")).trim()).isEqualTo(receivedEnvelopeHash(referralId));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE referral_id = ?", Long.class, referralId))
                .as("no row of the trail is removed").isEqualTo(rowsBefore + 1);
        assertThat(verifier.verify().intact()).isTrue();

        HttpResponse<byte[]> again = erase(provider("coordinator"), "interior-ministry", referralId);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json.readTree(again.body()).get("envelopeRemoved").asBoolean()).isFalse();

        // the wrong sender: one sentence naming what to check, not "you only see your own referrals"
        StringWriter wrong = new StringWriter();
        int refused = ReferralBusCommandLine.run(new PrintWriter(wrong), "erase", "--bus", baseUrl(), "--as", "coordinator",
                "--sender", "border-service", referralId);
        assertThat(refused).isEqualTo(1);
        assertThat(wrong.toString()).contains("No referral " + referralId + " from border-service: check the sender's"
                + " participant id and its referral id").doesNotContain("your own");
    }

    @Test
    void statisticsCountPurgedAndErasedReferralsAsBefore() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            ids.add(submit(anotherPerson()));
        }
        String purgedId = ids.get(0);
        String erasedId = ids.get(1);
        accept("legal-aid-khujand", deliveryOf(purgedId, "legal-aid-khujand"));
        accept("reintegration-national", deliveryOf(purgedId, "reintegration-national"));
        // This quarter is not over, so the API would refuse it (docs/statistics.md): the bean is asked directly.
        LocalDate quarter = Granularity.QUARTER.start(LocalDate.now(ZoneOffset.UTC));
        StatisticsQuery bySender = new StatisticsQuery(quarter, Granularity.QUARTER.next(quarter),
                List.of(Dimension.SENDER), Granularity.MONTH, false);
        StatisticsReport before = statistics.report(bySender, "oversight-board");
        Map<String, Object> ministry = before.cells().stream().filter(c -> "interior-ministry".equals(c.get("sender")))
                .findFirst().orElseThrow();
        assertThat(ministry).containsEntry("suppressed", false);
        assertThat((Long) ministry.get("count")).as("the eleven people just referred, at least").isGreaterThanOrEqualTo(11);

        purge.purge(OffsetDateTime.now().plusDays(91));
        assertThat(referrals.sealedEnvelope("interior-ministry", purgedId)).as("purged").isEmpty();
        assertThat(statistics.report(bySender, "oversight-board")).as("after the purge").isEqualTo(before);

        assertThat(erase(provider("coordinator"), "interior-ministry", erasedId).statusCode()).isEqualTo(200);
        assertThat(referrals.sealedEnvelope("interior-ministry", erasedId)).as("erased").isEmpty();
        assertThat(statistics.report(bySender, "oversight-board")).as("after the erasure").isEqualTo(before);

        // An erased referral's needs are still open: a provider's answer still counts among the outcomes.
        accept("legal-aid-khujand", deliveryOf(erasedId, "legal-aid-khujand"));
        assertThat(facts.receivedBetween(quarter.atStartOfDay().atOffset(ZoneOffset.UTC), OffsetDateTime.now().plusMinutes(1)))
                .filteredOn(f -> f.referralId().equals(erasedId))
                .singleElement().satisfies(f -> assertThat(f.outcome()).isEqualTo(Outcome.ACCEPTED));
    }

    @Test
    void onlyTheCoordinatorMayErase() throws Exception {
        String referralId = submit();

        assertThat(erase(provider("legal-aid-khujand"), "interior-ministry", referralId).statusCode()).isEqualTo(403);
        assertThat(erase(agency("interior-ministry"), "interior-ministry", referralId).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> unknown = erase(provider("coordinator"), "interior-ministry", java.util.UUID.randomUUID().toString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(referrals.sealedEnvelope("interior-ministry", referralId)).isPresent();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'ERASED' AND referral_id = ?",
                Integer.class, referralId)).isZero();
    }

    private HttpResponse<byte[]> erase(MutualTlsClient client, String sender, String referralId) throws Exception {
        return client.post("/api/v1/erasures", ("{\"sender\":\"" + sender + "\",\"referralId\":\"" + referralId + "\"}")
                .getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private String submit() throws Exception {
        return submit(ReferralExamples.withFreshId(ReferralExamples.example("interior-ministry-labour-legal-sughd")));
    }

    /** The example about a person of random names, born in a year no other test uses: never linked to another case. */
    private static String anotherPerson() {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("interior-ministry-labour-legal-sughd"));
        return xml.replaceFirst("<givenName>[^<]*</givenName>", "<givenName>" + randomName() + "</givenName>")
                .replaceFirst("<familyName>[^<]*</familyName>", "<familyName>" + randomName() + "</familyName>")
                .replaceFirst("<patronymic>[^<]*</patronymic>", "<patronymic>" + randomName() + "</patronymic>")
                .replaceFirst("<birthDate>[^<]*</birthDate>", "<birthDate>" + (1901 + BIRTH_YEARS.getAndIncrement())
                        + "-0" + (1 + RANDOM.nextInt(9)) + "-1" + RANDOM.nextInt(9) + "</birthDate>");
    }

    private static String randomName() {
        StringBuilder name = new StringBuilder().append((char) ('A' + RANDOM.nextInt(26)));
        for (int i = 0; i < 9; i++) {
            name.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return name.toString();
    }

    private String submit(String xml) throws Exception {
        byte[] envelope = SampleKeys.agencySealer("interior-ministry").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        assertThat(agency("interior-ministry").post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode()).isEqualTo(202);
        return ReferralExamples.referralId(xml);
    }

    private String deliveryOf(String referralId, String providerId) {
        List<String> ids = jdbc.queryForList("SELECT delivery_id FROM delivery WHERE referral_id = ? AND provider_id = ?",
                String.class, referralId, providerId);
        assertThat(ids).hasSize(1);
        return ids.get(0);
    }

    private void accept(String providerId, String deliveryId) throws Exception {
        HttpResponse<byte[]> ack = provider(providerId).post("/api/v1/inbox/" + deliveryId + "/ack",
                "{\"decision\":\"ACCEPTED\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(ack.statusCode()).as(new String(ack.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    }

    private String receivedEnvelopeHash(String referralId) {
        return jdbc.queryForObject("SELECT envelope_sha256 FROM referral WHERE referral_id = ?", String.class, referralId).trim();
    }
}

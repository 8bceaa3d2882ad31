package org.referralbus.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.referralbus.audit.AuditEventType;
import org.referralbus.delivery.Acknowledgements;
import org.referralbus.delivery.DeliveryLedger;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.ReferralExamples;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Step {@code record-facts} of process-referral: a new referral leaves one row of codes (never a name, a birth date, a
 * district or the notes), a repeat leaves no second, and the providers' answers move its outcome and time it; a closed
 * quarter asked by outcome answers the same after a later answer.
 */
class RecordFactsRouteTest extends AdvisedRoutes {

    @Autowired
    Acknowledgements acknowledgements;
    @Autowired
    DeliveryLedger deliveries;
    @Autowired
    FactsBackfill backfill;
    @Autowired
    BackfillMarker marker;
    @Autowired
    ReferralFacts facts;
    @Autowired
    Statistics statistics;

    @Test
    void aNewReferralLeavesOneRowOfCodesAndARepeatNoSecond() {
        String xml = freshExample("iom-mission-return-reintegration-gbao");
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = seal("iom-mission", xml);

        submit(envelope, "iom-mission");
        submit(envelope, "iom-mission");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM referral_facts WHERE referral_id = ?", Integer.class, referralId))
                .isEqualTo(1);
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM referral_facts WHERE referral_id = ?", referralId);
        assertThat(row).containsEntry("SENDER", "iom-mission").containsEntry("CATEGORY", "IDENTIFIED_VICTIM")
                .containsEntry("EXPLOITATION", "LABOUR").containsEntry("SEX", "FEMALE").containsEntry("AGE_BAND", "30-34")
                .containsEntry("NATIONALITY", "TJ").containsEntry("REGION", "GBAO")
                .containsEntry("SERVICES", "DOCUMENTATION,FAMILY_TRACING,REINTEGRATION,RETURN")
                .containsEntry("OUTCOME", "PENDING");
        assertThat(row.get("CASE_ID")).isEqualTo(jdbc.queryForObject(
                "SELECT case_id FROM referral WHERE referral_id = ?", String.class, referralId));
        assertThat(row.values().toString()).doesNotContain("Nigina", "Shodmonova", "1995", "Khorugh", "Riyadh");
        assertThat(passed("link-case").getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void answersMoveTheOutcomeOnlyUpwardAndTheFirstAcceptanceIsTimed() {
        String xml = freshExample("iom-mission-return-reintegration-gbao");
        String referralId = ReferralExamples.referralId(xml);
        submit(seal("iom-mission", xml), "iom-mission");
        List<String> deliveryIds = jdbc.queryForList("SELECT delivery_id FROM delivery WHERE referral_id = ? ORDER BY provider_id",
                String.class, referralId);
        assertThat(deliveryIds).as("copies to answer").hasSizeGreaterThanOrEqualTo(2);

        acknowledgements.escalate(deliveryIds.get(0), AuditEventType.ESCALATED, "NO_ACK:test");
        assertThat(outcome(referralId)).isEqualTo("ESCALATED");
        assertThat(jdbc.queryForObject("SELECT escalated_at FROM referral_facts WHERE referral_id = ?", OffsetDateTime.class,
                referralId)).as("the escalation is timed").isNotNull();
        acknowledgements.acknowledge(deliveries.find(deliveryIds.get(1)).orElseThrow(), Acknowledgements.Decision.ACCEPTED, null);
        assertThat(outcome(referralId)).isEqualTo("ACCEPTED");
        OffsetDateTime acceptedAt = jdbc.queryForObject("SELECT accepted_at FROM referral_facts WHERE referral_id = ?",
                OffsetDateTime.class, referralId);
        if (deliveryIds.size() > 2) {
            acknowledgements.acknowledge(deliveries.find(deliveryIds.get(2)).orElseThrow(), Acknowledgements.Decision.DECLINED, null);
        }

        assertThat(acceptedAt).isNotNull();
        assertThat(jdbc.queryForObject("SELECT accepted_at FROM referral_facts WHERE referral_id = ?", OffsetDateTime.class,
                referralId)).as("the first acceptance").isEqualTo(acceptedAt);
        assertThat(outcome(referralId)).as("an acceptance outranks a decline").isEqualTo("ACCEPTED");
        assertThat(jdbc.queryForObject("SELECT declined_at FROM referral_facts WHERE referral_id = ?", OffsetDateTime.class,
                referralId)).as("a decline after the acceptance strengthened nothing: not timed").isNull();
    }

    @Test
    void aClosedQuarterAskedByOutcomeAnswersTheSameAfterALaterAcceptance() {
        String prefix = "cut-off-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        OffsetDateTime received = OffsetDateTime.of(2020, 2, 10, 9, 0, 0, 0, ZoneOffset.UTC);
        for (int i = 0; i < 30; i++) {
            facts.record(new Fact("border-service", prefix + i, prefix + i, received, "PRESUMED_VICTIM", List.of("LABOUR"),
                    "FEMALE", "25-29", "TJ", "DUSHANBE", List.of("SHELTER"), Outcome.PENDING, null));
        }
        StatisticsQuery query = statistics.parse("2020-01-01", "2020-04-01", "region,outcome", null, null);
        try {
            StatisticsReport before = statistics.report(query, "oversight-board");
            assertThat(before.cells()).singleElement().satisfies(cell -> assertThat(cell)
                    .containsEntry("region", "DUSHANBE").containsEntry("outcome", "PENDING").containsEntry("count", 30L));

            facts.accepted("border-service", prefix + 0, OffsetDateTime.now(ZoneOffset.UTC));
            facts.declined("border-service", prefix + 1, OffsetDateTime.now(ZoneOffset.UTC));

            assertThat(statistics.report(query, "oversight-board")).as("answered long after Q1 2020's cut-off").isEqualTo(before);
        } finally {
            jdbc.update("DELETE FROM referral_facts WHERE referral_id LIKE ?", prefix + "%");
            jdbc.update("DELETE FROM statistics_release WHERE period_start = ?", java.sql.Date.valueOf("2020-01-01"));
        }
    }

    @Test
    void aReferralFiledBeforeStatisticsGetsItsFactsFromItsSealedEnvelopeAndItsNeeds() {
        String xml = freshExample("iom-mission-return-reintegration-gbao");
        String referralId = ReferralExamples.referralId(xml);
        submit(seal("iom-mission", xml), "iom-mission");
        String deliveryId = jdbc.queryForList("SELECT delivery_id FROM delivery WHERE referral_id = ?", String.class, referralId).get(0);
        acknowledgements.acknowledge(deliveries.find(deliveryId).orElseThrow(), Acknowledgements.Decision.ACCEPTED, null);
        Map<String, Object> recorded = jdbc.queryForMap("SELECT * FROM referral_facts WHERE referral_id = ?", referralId);
        jdbc.update("DELETE FROM referral_facts WHERE referral_id = ?", referralId);

        assertThat(backfill.backfill(OffsetDateTime.now())).isGreaterThanOrEqualTo(1);

        Map<String, Object> backfilled = jdbc.queryForMap("SELECT * FROM referral_facts WHERE referral_id = ?", referralId);
        assertThat(backfilled).as("the same codes as at intake, the outcome from the needs")
                .usingRecursiveComparison().ignoringFields("ACCEPTED_AT").isEqualTo(recorded);
        assertThat(backfilled.get("OUTCOME")).isEqualTo("ACCEPTED");
        assertThat(backfilled.get("ACCEPTED_AT")).isNotNull();
        assertThat(backfill.backfill(OffsetDateTime.now())).as("nothing twice").isZero();
    }

    @Test
    void aBackfillReadsOnlyReferralsReceivedSinceTheLastCompletedPass() {
        String xml = freshExample("iom-mission-return-reintegration-gbao");
        String referralId = ReferralExamples.referralId(xml);
        submit(seal("iom-mission", xml), "iom-mission");
        jdbc.update("DELETE FROM referral_facts WHERE referral_id = ?", referralId);
        OffsetDateTime receivedAt = jdbc.queryForObject("SELECT received_at FROM referral WHERE referral_id = ?",
                OffsetDateTime.class, referralId);
        OffsetDateTime markBefore = marker.checkedBefore().orElseThrow(() -> new AssertionError("the start-up pass sets the mark"));
        try {
            marker.advanceTo(receivedAt.plusNanos(1_000_000));
            backfill.backfill(receivedAt.plusSeconds(1));
            assertThat(factCount(referralId)).as("received before the mark: not read again").isZero();

            jdbc.update("UPDATE facts_backfill SET checked_before = ?", markBefore);
            OffsetDateTime now = OffsetDateTime.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            assertThat(backfill.backfill(now)).isEqualTo(1);
            assertThat(factCount(referralId)).isEqualTo(1);
            assertThat(marker.checkedBefore()).as("the mark moves to the pass's end, less the grace")
                    .hasValueSatisfying(mark -> assertThat(mark.toInstant()).isEqualTo(now.minus(FactsBackfill.GRACE).toInstant()));
        } finally {
            jdbc.update("UPDATE facts_backfill SET checked_before = ?", markBefore);
        }
    }

    private int factCount(String referralId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM referral_facts WHERE referral_id = ?", Integer.class, referralId);
    }

    private String outcome(String referralId) {
        return jdbc.queryForObject("SELECT outcome FROM referral_facts WHERE referral_id = ?", String.class, referralId);
    }
}

package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralbus.audit.AuditProperties;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.support.MigratedH2;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Merge and split on the real tables (Flyway-migrated H2): what moves, what is recorded and audited, what is refused. */
class CaseCorrectionsTest {

    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-03T05:00:00Z");
    private static final String CASE_A = "aaaaaaaa-0000-4000-8000-000000000001";
    private static final String CASE_B = "bbbbbbbb-0000-4000-8000-000000000002";

    private JdbcTemplate jdbc;
    private CaseCorrections corrections;
    private CaseCorrectionStore store;

    @BeforeEach
    void database() {
        javax.sql.DataSource dataSource = MigratedH2.fresh("corrections");
        jdbc = new JdbcTemplate(dataSource);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        Clock clock = Clock.fixed(NOW.toInstant(), ZoneOffset.UTC);
        AuditTrail audit = new AuditTrail(jdbc, transactions, new AuditProperties(Duration.ofMinutes(10), Duration.ofHours(24),
                Duration.ofMinutes(1), new AuditProperties.SignInLimits(3, 10, 10, 30, Duration.ofMinutes(15), 1), "referral-bus"), clock);
        store = new CaseCorrectionStore(jdbc);
        corrections = new CaseCorrections(new ReferralLedger(jdbc), new PersonEncodingStore(jdbc),
                new PersonKeyStore(jdbc, transactions), store, new CaseOpeningLock(jdbc), audit, clock, transactions);
    }

    @Test
    void mergeMovesEveryReferralItsEncodingsAndLegacyKeysAndAuditsEachMovedReferral() {
        referral("border-service", "r-1", CASE_A, null, null, 0);
        referral("ngo-hotline", "r-2", CASE_B, null, "names", 0.8);
        encoding("ngo-hotline", "r-2", CASE_B);
        jdbc.update("INSERT INTO person_key (key_hash, case_id, created_at) VALUES (?, ?, ?)", "k".repeat(64), CASE_B, NOW);

        CaseCorrections.Corrected merged = corrections.merge("coordinator", CASE_A, CASE_B);

        assertThat(jdbc.queryForList("SELECT referral_id FROM referral WHERE case_id = ? ORDER BY referral_id", String.class, CASE_A))
                .containsExactly("r-1", "r-2");
        assertThat(jdbc.queryForObject("SELECT link_rule FROM referral WHERE referral_id = 'r-2'", String.class)).isEqualTo("coordinator");
        assertThat(jdbc.queryForList("SELECT DISTINCT case_id FROM person_encoding", String.class)).containsExactly(CASE_A);
        assertThat(jdbc.queryForList("SELECT case_id FROM person_key", String.class)).as("no key leads back to the emptied case")
                .containsExactly(CASE_A);
        assertThat(auditDetails("CASES_MERGED")).containsExactly("r-2 coordinator case:" + CASE_A + ";from:" + CASE_B + ";rule:coordinator");
        assertThat(merged.moved()).extracting(ReferralLedger.CaseMember::referralId).containsExactly("r-2");
        assertThat(merged.affected()).extracting(CaseCorrections.Affected::referralId, CaseCorrections.Affected::caseId,
                        CaseCorrections.Affected::reason)
                .as("only the moved referral's providers: r-1's case did not change")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("r-2", CASE_A, "CASES_MERGED:" + CASE_B));
        assertThat(corrections.view(CASE_A).corrections()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(CaseCorrections.Kind.MERGE);
            assertThat(c.otherCaseId()).isEqualTo(CASE_B);
            assertThat(c.coordinator()).isEqualTo("coordinator");
        });
        assertThatThrownBy(() -> corrections.view(CASE_B)).as("the merged case is gone")
                .extracting(e -> ((ReferralBusException) e).errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void splitTakesTheReferralWithItsUpdatesIntoANewCaseAndRecordsTheSeparation() {
        referral("border-service", "r-1", CASE_A, null, null, 0);
        referral("ngo-hotline", "r-2", CASE_A, null, "names", 0.61);
        referral("ngo-hotline", "r-3", CASE_A, "r-2", null, 0);
        referral("ngo-hotline", "r-4", CASE_A, null, "names", 0.9);
        encoding("ngo-hotline", "r-2", CASE_A);
        encoding("border-service", "r-1", CASE_A);

        CaseCorrections.Corrected split = corrections.split("coordinator", CASE_A, null, "r-2");

        String newCase = split.correction().otherCaseId();
        assertThat(newCase).isNotEqualTo(CASE_A).matches("[0-9a-f-]{36}");
        assertThat(jdbc.queryForList("SELECT referral_id FROM referral WHERE case_id = ? ORDER BY referral_id", String.class, newCase))
                .as("the update follows its referral; the sender's other referral stays").containsExactly("r-2", "r-3");
        assertThat(jdbc.queryForList("SELECT referral_id FROM referral WHERE case_id = ? ORDER BY referral_id", String.class, CASE_A))
                .containsExactly("r-1", "r-4");
        assertThat(jdbc.queryForList("SELECT case_id FROM person_encoding WHERE origin = ?", String.class,
                CaseLinking.origin("ngo-hotline", "r-2"))).containsOnly(newCase);
        assertThat(jdbc.queryForList("SELECT case_id FROM person_encoding WHERE origin = ?", String.class,
                CaseLinking.origin("border-service", "r-1"))).containsOnly(CASE_A);
        assertThat(auditDetails("CASE_SPLIT")).containsExactly(
                "r-2 coordinator case:" + newCase + ";from:" + CASE_A + ";rule:coordinator",
                "r-3 coordinator case:" + newCase + ";from:" + CASE_A + ";rule:coordinator");
        assertThat(split.affected()).extracting(CaseCorrections.Affected::referralId, CaseCorrections.Affected::reason,
                        CaseCorrections.Affected::linkedToExistingCase)
                .as("only the referrals split off: those left behind stay in their case; whether each joined a case as"
                        + " routed, which says whether its linked-case copies named the case")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("r-2", "CASE_SPLIT:" + CASE_A, true),
                        org.assertj.core.groups.Tuple.tuple("r-3", "CASE_SPLIT:" + CASE_A, false));
        assertThat(store.splitFrom(CASE_A, List.of(newCase, CASE_B))).containsExactly(newCase);
        assertThat(store.splitFrom(newCase, List.of(CASE_A))).containsExactly(CASE_A);
        assertThat(store.splitFrom(CASE_B, List.of(CASE_A))).isEmpty();
    }

    @Test
    void refusalsChangeNothing() {
        referral("border-service", "r-1", CASE_A, null, null, 0);
        referral("border-service", "r-2", CASE_A, "r-1", null, 0);
        referral("ngo-hotline", "r-5", CASE_B, null, null, 0);

        assertRefused(() -> corrections.merge("coordinator", CASE_A, "cccccccc-0000-4000-8000-000000000003"), ErrorCode.NOT_FOUND);
        assertRefused(() -> corrections.merge("coordinator", CASE_A, CASE_A), ErrorCode.INVALID_REQUEST);
        assertRefused(() -> corrections.split("coordinator", CASE_A, null, "r-5"), ErrorCode.REFERRAL_NOT_IN_CASE);
        assertRefused(() -> corrections.split("coordinator", CASE_A, "ngo-hotline", "r-1"), ErrorCode.REFERRAL_NOT_IN_CASE);
        assertRefused(() -> corrections.split("coordinator", CASE_A, null, "r-1"), ErrorCode.INVALID_REQUEST);

        assertThat(jdbc.queryForList("SELECT case_id FROM referral ORDER BY referral_id", String.class))
                .containsExactly(CASE_A, CASE_A, CASE_B);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM case_correction", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event", Integer.class)).isZero();
    }

    private void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(ReferralBusException.class)
                .extracting(e -> ((ReferralBusException) e).errorCode()).isEqualTo(code);
    }

    private List<String> auditDetails(String type) {
        return jdbc.queryForList("SELECT referral_id || ' ' || actor || ' ' || detail FROM audit_event WHERE event_type = ? ORDER BY seq",
                String.class, type);
    }

    private void referral(String sender, String referralId, String caseId, String supersedes, String rule, double score) {
        jdbc.update("INSERT INTO referral (sender, referral_id, content_sha256, envelope_sha256, state, received_at, case_id,"
                        + " supersedes, referral_version, linked_to_existing_case, link_rule, link_score) VALUES (?, ?, ?, ?, 'ROUTED', ?, ?, ?, ?, ?, ?, ?)",
                sender, referralId, "0".repeat(64), "1".repeat(64), NOW.plusSeconds(jdbc.queryForObject("SELECT COUNT(*) FROM referral", Integer.class)),
                caseId, supersedes, supersedes == null ? 1 : 2, rule != null, rule, rule == null ? null : java.math.BigDecimal.valueOf(score));
    }

    private void encoding(String sender, String referralId, String caseId) {
        jdbc.update("INSERT INTO person_encoding (case_id, origin, key_id, names, created_at) VALUES (?, ?, 'k1', ?, ?)",
                caseId, CaseLinking.origin(sender, referralId), new byte[16], NOW);
    }
}

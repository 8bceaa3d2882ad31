package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralbus.core.StartupRefusal;
import org.referralbus.schema.referral.Sex;
import org.referralbus.support.MigratedH2;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Secret rotation and the orderly expiry of the person keys before issue 16, on the real store (Flyway-migrated H2),
 * following the procedure in docs/linking.md ("Earlier person keys and secret rotation").
 */
class PersonKeyRotationTest {

    private static final byte[] OLD = "old-person-key-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "new-person-key-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-03T03:00:00Z");

    private final PersonIdentity border = new PersonIdentity("Нигина", "Саидова", "Қурбоналиевна", Sex.FEMALE,
            LocalDate.of(1994, 6, 15), null, LocalDate.of(2026, 6, 1));
    private final PersonIdentity hotline = new PersonIdentity("Nigona", "SAIDOVA", null, Sex.FEMALE, null, 32,
            LocalDate.of(2026, 11, 1));

    private JdbcTemplate jdbc;
    private PersonEncodingStore store;
    private PersonKeyStore legacyKeys;

    @BeforeEach
    void database() {
        javax.sql.DataSource dataSource = MigratedH2.fresh("rotation");
        jdbc = new JdbcTemplate(dataSource);
        store = new PersonEncodingStore(jdbc);
        legacyKeys = new PersonKeyStore(jdbc, new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource));
    }

    @Test
    void personReferredBeforeTheRotationIsFoundThroughThePreviousSecretAndCarriedOnUnderTheNewOne() {
        remember(linker(OLD, null), border, "case-before", "origin-1", NOW.minusDays(100));

        PersonLinker rotating = linker(NEW, OLD);
        assertThat(find(rotating, hotline)).get().extracting(PersonLinker.Match::caseId).isEqualTo("case-before");
        remember(rotating, hotline, "case-before", "origin-2", NOW);
        assertThat(store.countByKey()).hasSize(2);

        // One person window after the rotation the old key's encodings are gone; the new ones carry the case.
        store.forgetOlderThan(NOW.minus(Duration.ofDays(90)));
        assertThat(store.countByKey()).containsOnlyKeys(encoder(NEW).keyId());
        assertThat(find(linker(NEW, null), border)).get().extracting(PersonLinker.Match::caseId).isEqualTo("case-before");
    }

    @Test
    void withoutThePreviousSecretEncodingsOfTheOldKeyMatchNothing() {
        remember(linker(OLD, null), border, "case-before", "origin-1", NOW);
        assertThat(find(linker(NEW, null), hotline)).isEmpty();
        assertThat(find(linker(OLD, null), hotline)).as("the same records under one secret do match").isPresent();
    }

    @Test
    void personKeysOfTheEarlierSchemeAreStillFoundUntilThePersonWindowExpiresThem() {
        PersonKeyScheme legacy = new PersonKeyScheme(NEW);
        PersonIdentity again = new PersonIdentity("Nigina", "SAIDOVA", "Kurbonalievna", Sex.FEMALE, LocalDate.of(1994, 6, 15),
                null, LocalDate.of(2026, 11, 1));
        legacyKeys.remember(legacy.keysFor(border).stored().keySet(), "legacy-case", NOW.minusDays(10));

        assertThat(find(linker(NEW, null), again)).get().satisfies(match -> {
            assertThat(match.caseId()).isEqualTo("legacy-case");
            assertThat(match.decision().rule()).isEqualTo(LinkRule.LEGACY_KEYS);
        });
        assertThat(legacyKeys.forgetOlderThan(NOW.minusDays(5))).isPositive();
        assertThat(find(linker(NEW, null), again)).isEmpty();
    }

    @Test
    void aPreviousSecretEqualToTheCurrentOneIsRefusedAtStartUp() {
        String secret = "base64:" + java.util.Base64.getEncoder().encodeToString(NEW);
        DedupeProperties properties = new DedupeProperties(Duration.ofDays(30), Duration.ofDays(180), Duration.ofHours(1),
                Duration.ofSeconds(30), secret, secret);
        assertThatThrownBy(() -> PersonKeySecret.loadPrevious(properties, new StandardEnvironment()))
                .isInstanceOf(StartupRefusal.class).hasMessageContaining("person-key-previous-secret equals")
                .hasMessageNotContaining(secret.substring(7, 20));
    }

    private static java.util.Optional<PersonLinker.Match> find(PersonLinker linker, PersonIdentity person) {
        return linker.find(linker.encode(person));
    }

    private static void remember(PersonLinker linker, PersonIdentity person, String caseId, String origin, java.time.OffsetDateTime at) {
        linker.remember(linker.encode(person), caseId, origin, at);
    }

    private PersonLinker linker(byte[] current, byte[] previous) {
        return new PersonLinker(new PersonEncoders(encoder(current), previous == null ? null : encoder(previous)), store,
                new PersonKeyScheme(current), legacyKeys);
    }

    private static PersonEncoder encoder(byte[] secret) {
        return new PersonEncoder(secret, PersonEncoder.Hardening.CHOSEN, new SecureRandom());
    }
}

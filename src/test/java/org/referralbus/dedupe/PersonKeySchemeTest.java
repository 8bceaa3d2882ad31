package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.referralbus.schema.referral.Sex;
import org.springframework.mock.env.MockEnvironment;

class PersonKeySchemeTest {

    private final PersonKeyScheme scheme = new PersonKeyScheme("unit-test-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8));

    private static final LocalDate SEEN = LocalDate.of(2026, 3, 1);

    @Test
    void cyrillicWithBirthDateAndLatinWithAgeEstimateAreTheSamePerson() {
        PersonIdentity border = new PersonIdentity("Нигина", "Саидова", "Қурбоналиевна", Sex.FEMALE, LocalDate.of(1999, 6, 15), null, SEEN);
        PersonIdentity hotline = new PersonIdentity("Nigina", "Saidova", null, Sex.FEMALE, null, 26, SEEN.plusDays(9));

        assertThat(PersonMatcher.matches(agreeing(border, hotline))).isTrue();
        assertThat(PersonMatcher.matches(agreeing(hotline, border))).isTrue();
    }

    @Test
    void swappedFieldsAndUpperCaseStillMatch() {
        PersonIdentity a = new PersonIdentity("Нигина", "Саидова", null, Sex.FEMALE, LocalDate.of(1999, 6, 15), null, SEEN);
        PersonIdentity b = new PersonIdentity("SAIDOVA", " NIGINA ", null, Sex.FEMALE, LocalDate.of(1999, 6, 15), null, SEEN);

        assertThat(PersonMatcher.matches(agreeing(a, b))).isTrue();
    }

    @Test
    void sistersNamesakesAndBrothersAreNotLinked() {
        PersonIdentity nigina = new PersonIdentity("Нигина", "Саидова", "Сафаровна", Sex.FEMALE, LocalDate.of(1999, 6, 15), null, SEEN);
        PersonIdentity sister = new PersonIdentity("Мадина", "Саидова", "Сафаровна", Sex.FEMALE, LocalDate.of(2000, 2, 1), null, SEEN);
        PersonIdentity olderNamesake = new PersonIdentity("Нигина", "Саидова", null, Sex.FEMALE, LocalDate.of(1996, 6, 15), null, SEEN);
        PersonIdentity otherFather = new PersonIdentity("Нигина", "Саидова", "Ҳасановна", Sex.FEMALE, null, 26, SEEN);
        PersonIdentity otherBirthday = new PersonIdentity("Nigina", "Saidova", null, Sex.FEMALE, LocalDate.of(1999, 11, 2), null, SEEN);

        assertThat(PersonMatcher.matches(agreeing(nigina, sister))).isFalse();
        assertThat(PersonMatcher.matches(agreeing(nigina, olderNamesake))).isFalse();
        assertThat(PersonMatcher.matches(agreeing(nigina, otherFather))).isFalse();
        assertThat(PersonMatcher.matches(agreeing(nigina, otherBirthday))).isFalse();
    }

    @Test
    void keysAreKeyedHashesThatNameNobody() {
        PersonIdentity person = new PersonIdentity("Нигина", "Саидова", null, Sex.FEMALE, LocalDate.of(1999, 6, 15), null, SEEN);
        PersonKeys keys = scheme.keysFor(person);
        PersonKeys otherSecret = new PersonKeyScheme("another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8)).keysFor(person);

        assertThat(keys.stored().keySet()).allMatch(k -> k.matches("[0-9a-f]{64}"));
        assertThat(keys.probes().keySet()).containsAll(keys.stored().keySet());
        assertThat(otherSecret.stored().keySet()).doesNotContainAnyElementsOf(keys.stored().keySet());
        assertThat(person.toString()).doesNotContain("Нигина");
    }

    @Test
    void prodProfileRefusesTheSampleSecretAndShortSecretsAreRefused() {
        MockEnvironment prod = new MockEnvironment();
        prod.setActiveProfiles("prod");

        assertThatThrownBy(() -> PersonKeySecret.load(properties(PersonKeySecret.SAMPLE), prod))
                .hasMessageContaining("Refusing to start in the prod profile with sample keys")
                .hasMessageContaining("person-key-secret");
        assertThatThrownBy(() -> PersonKeySecret.load(properties("base64:c2hvcnQ="), new MockEnvironment()))
                .hasMessageContaining("at least 32 bytes");
        assertThat(PersonKeySecret.load(properties(PersonKeySecret.SAMPLE), new MockEnvironment())).hasSizeGreaterThanOrEqualTo(32);
        assertThat(PersonKeySecret.load(properties("base64:cmVhbC1zZWNyZXQtZnJvbS10aGUtZW52aXJvbm1lbnQtMzJieXRlcw=="), prod))
                .hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void aFileHoldingTheBase64PrefixIsReadAsBase64AndNoErrorQuotesTheSecret(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        String encoded = "cmVhbC1zZWNyZXQtZnJvbS10aGUtZW52aXJvbm1lbnQtMzJieXRlcw==";
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("person-key.secret"), "base64:" + encoded + "\n");
        assertThat(PersonKeySecret.load(properties(file.toString()), new MockEnvironment()))
                .isEqualTo(java.util.Base64.getDecoder().decode(encoded));

        for (String malformed : java.util.List.of(encoded, "base64:" + encoded.replace('c', '-'), "base64:c2hvcnQ=")) {
            assertThatThrownBy(() -> PersonKeySecret.load(properties(malformed), new MockEnvironment()))
                    .isInstanceOf(org.referralbus.core.StartupRefusal.class)
                    .hasMessageContaining("referral-bus.dedupe.person-key-secret")
                    .hasNoCause()
                    .message().doesNotContain(malformed.substring(malformed.length() - 12, malformed.length() - 4));
        }
    }

    @Test
    void windowsMustBePositive() {
        assertThatThrownBy(() -> new DedupeProperties(Duration.ZERO, Duration.ofDays(1), Duration.ofHours(1),
                Duration.ofSeconds(30), PersonKeySecret.SAMPLE)).hasMessageContaining("envelope-window");
    }

    private static DedupeProperties properties(String secret) {
        return new DedupeProperties(Duration.ofDays(30), Duration.ofDays(180), Duration.ofHours(1), Duration.ofSeconds(30), secret);
    }

    private Set<KeyKind> agreeing(PersonIdentity earlier, PersonIdentity later) {
        Map<String, KeyKind> stored = scheme.keysFor(earlier).stored();
        Set<KeyKind> kinds = EnumSet.noneOf(KeyKind.class);
        scheme.keysFor(later).probes().forEach((hash, kind) -> {
            if (stored.containsKey(hash)) {
                kinds.add(kind);
            }
        });
        return kinds;
    }
}

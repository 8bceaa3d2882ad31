package org.referralbus.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.referralbus.schema.referral.Region;
import org.referralbus.schema.referral.Urgency;
import org.referralbus.support.HostileReferrals;
import org.referralbus.support.ReferralExamples;

class ReferralReaderTest {

    private final ReferralReader reader = new ReferralReader();

    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("schemas/examples")).filter(p -> p.toString().endsWith(".xml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyPublishedExampleIsValid(Path example) throws IOException {
        Referral referral = reader.read(Files.readAllBytes(example));

        assertThat(referral.referralId()).hasSize(36);
        assertThat(example.getFileName().toString()).startsWith(referral.sender());
        assertThat(referral.needs()).isNotEmpty();
    }

    @Test
    void anIdInUpperCaseIsReadInTheBusOneFormAndKeptAsSentForTheReceipt() {
        String xml = ReferralExamples.withFreshId(example());
        String id = ReferralExamples.referralId(xml);
        String upper = id.toUpperCase(java.util.Locale.ROOT);

        Referral referral = read(xml.replace(id, upper));

        assertThat(referral.referralId()).isEqualTo(id.toLowerCase(java.util.Locale.ROOT));
        assertThat(referral.referralIdAsSent()).isEqualTo(upper);
    }

    @Test
    void factsAreMappedFromTheDocument() {
        Referral referral = read(ReferralExamples.example("iom-mission-minor-khatlon"));

        assertThat(referral.sender()).isEqualTo("iom-mission");
        assertThat(referral.region()).isEqualTo(Region.KHATLON);
        assertThat(referral.ageYears()).isEqualTo(16);
        assertThat(referral.urgency()).isEqualTo(Urgency.IMMEDIATE);
        assertThat(referral.consentGiven()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid/missing-consent.xml", "invalid/unknown-service.xml", "invalid/wrong-namespace.xml",
            "invalid/createdAt-without-offset.xml", "invalid/not-well-formed.xml"})
    void invalidReferralsAreRejectedWithPositions(String fixture) {
        assertThatThrownBy(() -> read(ReferralExamples.fixture(fixture)))
                .isInstanceOfSatisfying(SchemaViolationException.class, e -> {
                    assertThat(e.violations()).isNotEmpty();
                    assertThat(e.violations().get(0).line()).isPositive();
                });
    }

    @Test
    void everyViolationIsReportedNotJustTheFirst() {
        assertThatThrownBy(() -> read(ReferralExamples.fixture("invalid/two-errors.xml")))
                .isInstanceOfSatisfying(SchemaViolationException.class, e ->
                        assertThat(e.violations()).extracting(Violation::line).contains(24, 32));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hostile/doctype-internal-entity.xml", "hostile/xxe-file.xml", "hostile/billion-laughs.xml"})
    void documentTypeDeclarationsAreRefusedBeforeAnythingIsExpanded(String fixture) {
        assertThatThrownBy(() -> read(ReferralExamples.fixture(fixture)))
                .isInstanceOfSatisfying(SchemaViolationException.class, e ->
                        assertThat(e.violations().get(0).message()).containsIgnoringCase("DOCTYPE"));
    }

    @Test
    void tenThousandDeepNestingIsRefusedAtTheDepthLimitWithOneShortAnswer() {
        byte[] deep = HostileReferrals.deeplyNested(ReferralExamples.example("iom-mission-minor-khatlon"), 10_000);

        assertThatThrownBy(() -> reader.read(deep)).isInstanceOfSatisfying(SchemaViolationException.class, e ->
                assertThat(e.violations()).hasSizeLessThanOrEqualTo(ReferralReader.MAX_VIOLATIONS));
    }

    @Test
    void fiftyMegabytesOfNotesAreRefusedAndNotEchoedBack() {
        byte[] huge = HostileReferrals.hugeNotes(ReferralExamples.example("iom-mission-minor-khatlon"), 50);
        long started = System.nanoTime();

        assertThatThrownBy(() -> reader.read(huge)).isInstanceOfSatisfying(SchemaViolationException.class, e -> {
            assertThat(e.violations()).isNotEmpty();
            assertThat(e.violations()).allSatisfy(v ->
                    assertThat(v.message().length()).isLessThanOrEqualTo(ReferralReader.MAX_MESSAGE_CHARS + 1));
        });
        assertThat(System.nanoTime() - started).as("bounded work").isLessThan(30_000_000_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"referralId", "createdAt", "date", "birthDate", "nationality", "language", "from", "district", "notes"})
    void twoHundredThousandCharactersInAnyFieldAreRefusedInUnderASecondNamingTheElement(String element) {
        byte[] hostile = HostileReferrals.withText(example(), element, "T".repeat(200_000));
        long started = System.nanoTime();

        assertThatThrownBy(() -> reader.read(hostile)).isInstanceOfSatisfying(SchemaViolationException.class, e ->
                assertThat(e.violations()).extracting(Violation::message).anySatisfy(message -> assertThat(message)
                        .isEqualTo("Text of element " + element + " is longer than 10000 characters: refused before schema validation")));
        assertThat(System.nanoTime() - started).as("answered in under a second").isLessThan(1_000_000_000L);
    }

    @Test
    void aTwoHundredThousandCharacterAttributeIsRefusedBeforeValidation() {
        byte[] hostile = HostileReferrals.withAttribute(example(), "agencyId", "a".repeat(200_000));

        assertThatThrownBy(() -> reader.read(hostile)).isInstanceOfSatisfying(SchemaViolationException.class, e ->
                assertThat(e.violations()).extracting(Violation::message).contains(
                        "Attribute agencyId of element sender is longer than 1000 characters: refused before schema validation"));
    }

    @Test
    void commentsDoNotRestartTheCountBecauseTheValidatorJoinsTheText() {
        byte[] hostile = HostileReferrals.withText(example(), "createdAt", ("T".repeat(5_000) + "<!-- -->").repeat(40));

        assertThatThrownBy(() -> reader.read(hostile)).isInstanceOfSatisfying(SchemaViolationException.class, e ->
                assertThat(e.violations()).extracting(Violation::message).anySatisfy(message ->
                        assertThat(message).startsWith("Text of element createdAt is longer than 10000 characters")));
    }

    @Test
    void notesAtTheSchemaMaximumPassTheLimitAndOneCharacterMoreIsRefusedByIt() {
        String tenThousand = "ж".repeat(10_000);

        assertThat(reader.read(HostileReferrals.withText(example(), "notes", tenThousand)).referralId()).hasSize(36);
        assertThatThrownBy(() -> reader.read(HostileReferrals.withText(example(), "notes", tenThousand + "ж")))
                .isInstanceOfSatisfying(SchemaViolationException.class, e -> assertThat(e.violations()).extracting(Violation::message)
                        .anySatisfy(message -> assertThat(message).startsWith("Text of element notes is longer than 10000")));
    }

    @Test
    void invalidUtf8IsASchemaViolation() {
        byte[] broken = HostileReferrals.invalidUtf8(ReferralExamples.example("iom-mission-minor-khatlon"));

        assertThatThrownBy(() -> reader.read(broken)).isInstanceOf(SchemaViolationException.class);
    }

    private static String example() {
        return ReferralExamples.example("border-service-adult-woman-shelter-dushanbe");
    }

    private Referral read(String xml) {
        return reader.read(xml.getBytes(StandardCharsets.UTF_8));
    }
}

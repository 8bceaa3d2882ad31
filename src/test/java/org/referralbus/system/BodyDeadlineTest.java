package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.referralbus.intake.IntakeProperties.UploadPace;

/** The default pace against the lines agencies send from (docs/operators.md, "Slow lines") and against a trickle. */
class BodyDeadlineTest {

    private static final long SECOND = 1_000_000_000L;
    private static final UploadPace DEFAULTS = UploadPace.DEFAULTS;

    @Test
    void aFiveMegabyteEnvelopeOverA150ByteLineInWholeTlsRecordsIsNeverLateUntilTheHour() {
        int length = 5 * 1024 * 1024;
        BodyDeadline deadline = new BodyDeadline(0, DEFAULTS, true, length);
        long arrived = 0;
        int received = 0;
        while (received < length) {
            int record = Math.min(BodyDeadline.TLS_RECORD_BYTES, length - received);
            arrived += record * SECOND / 150; // the server sees nothing until the whole record is in
            if (arrived >= 3600 * SECOND) {
                break;
            }
            assertThat(deadline.remainingMillis(arrived)).as("record ending at byte %d", received + record).isPositive();
            deadline.received(record);
            received += record;
        }
        assertThat(received).as("what 150 B/s brings in an hour").isGreaterThan(500_000);
        assertThat(deadline.remainingMillis(3600 * SECOND)).isLessThanOrEqualTo(0);
        assertThat(deadline.late().getMessage()).isEqualTo("it took longer than the longest an upload may take (PT1H)");
    }

    @Test
    void aWalkthroughEnvelopeAt300BytesASecondIsInLongBeforeItsDeadline() {
        BodyDeadline deadline = new BodyDeadline(0, DEFAULTS, true, 19_471);

        assertThat(deadline.remainingMillis(55 * SECOND)).as("first record in after 55 s").isGreaterThan(100_000);
        deadline.received(16_384);
        assertThat(deadline.remainingMillis(65 * SECOND)).as("the rest after 65 s").isGreaterThan(100_000);
    }

    @Test
    void aByteEvery119SecondsIsLateAfterTheGraceAndTheRecordUnderWay() {
        BodyDeadline deadline = new BodyDeadline(0, DEFAULTS, true, 19_471);
        long now = 0;
        for (int i = 0; i < 3; i++) {
            now += 119 * SECOND;
            if (deadline.remainingMillis(now) <= 0) {
                break;
            }
            deadline.received(1);
        }
        assertThat(now).as("late at the second byte: 20 s + 16 KB at 100 B/s = 184 s").isEqualTo(238 * SECOND);
        assertThat(deadline.late().getMessage()).isEqualTo("it arrived slower than 100 bytes a second on average");
    }

    @Test
    void aSignInFormWithoutCertificateHasTheGraceAndItsFewBytesAndNeverMoreThanAMinute() {
        BodyDeadline form = new BodyDeadline(0, DEFAULTS, false, 300);
        assertThat(form.remainingMillis(0)).isEqualTo(23_000);

        BodyDeadline declaredHuge = new BodyDeadline(0, DEFAULTS, false, 2_000_000);
        for (int second = 1; second <= 60; second++) {
            declaredHuge.received(100);
        }
        assertThat(declaredHuge.remainingMillis(60 * SECOND)).as("at the rate, but the minute is up").isLessThanOrEqualTo(0);
        assertThat(declaredHuge.late().getMessage()).contains("(PT1M)");
    }

    @Test
    void aChunkedBodyIsCreditedAWholeRecordUnderWay() {
        BodyDeadline chunked = new BodyDeadline(0, new UploadPace(Duration.ofSeconds(1), 1000, Duration.ofHours(1), Duration.ofMinutes(1)), true, -1);

        assertThat(chunked.remainingMillis(0)).isEqualTo(1_000 + 16_384);
    }
}

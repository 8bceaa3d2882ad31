package org.referralbus.participants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.support.TestPki.KeyType;
import org.referralbus.support.TestPki;

class CertificateTrustTest {

    private static final TestPki PKI = TestPki.shared();
    private static final CertificateTrust TRUST = new CertificateTrust(List.of(PKI.caCertificate()),
            Clock.systemUTC());

    private static void assertUntrusted(ThrowingCallable verify) {
        assertThatThrownBy(verify).isInstanceOfSatisfying(ReferralBusException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGNER_UNTRUSTED));
    }

    @Test
    void participantOfTheTrustedCaIsTrusted() {
        X509Certificate agency = PKI.identity("agency-police", ParticipantRole.AGENCY, KeyType.EC_P256).certificate();

        assertThatCode(() -> TRUST.verify(agency, List.of())).doesNotThrowAnyException();
    }

    @Test
    void participantOfAnotherCaIsUntrusted() {
        X509Certificate stranger = TestPki.unrelated().identity("agency-police", ParticipantRole.AGENCY,
                KeyType.EC_P256).certificate();

        assertUntrusted(() -> TRUST.verify(stranger, List.of(TestPki.unrelated().caCertificate())));
    }

    @Test
    void validityIsJudgedAtTheClocksTime() {
        X509Certificate agency = PKI.identity("agency-police", ParticipantRole.AGENCY, KeyType.EC_P256).certificate();
        CertificateTrust inTwoYears = new CertificateTrust(List.of(PKI.caCertificate()),
                Clock.fixed(Instant.now().plus(Duration.ofDays(730)), ZoneOffset.UTC));
        CertificateTrust lastWeek = new CertificateTrust(List.of(PKI.caCertificate()),
                Clock.fixed(Instant.now().minus(Duration.ofDays(7)), ZoneOffset.UTC));

        assertUntrusted(() -> inTwoYears.verify(agency, List.of()));
        assertUntrusted(() -> lastWeek.verify(agency, List.of()));
    }

    @Test
    void aSignatureAdmittedEarlierIsJudgedAsOfItsAdmission() {
        Instant now = Instant.now();
        X509Certificate expired = PKI.issue("ngo-renewed", ParticipantRole.AGENCY, KeyType.EC_P256,
                now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(30))).certificate();
        Instant admitted = now.minus(Duration.ofDays(60));

        assertUntrusted(() -> TRUST.verify(expired, List.of()));
        assertThatCode(() -> TRUST.verifyAsOf(expired, List.of(), admitted)).doesNotThrowAnyException();
        assertUntrusted(() -> TRUST.verifyAsOf(expired, List.of(), now.minus(Duration.ofDays(401))));
        assertUntrusted(() -> TRUST.verifyAsOf(TestPki.unrelated().identity("agency-police", ParticipantRole.AGENCY,
                KeyType.EC_P256).certificate(), List.of(), admitted));
    }

    @Test
    void asOfItsAdmissionOnlyARevocationDatedNoLaterCounts() {
        Instant now = Instant.now();
        X509Certificate agency = PKI.identity("agency-revoked", ParticipantRole.AGENCY, KeyType.EC_P256).certificate();
        Instant admitted = now.minus(Duration.ofMinutes(30));
        Revocations revokedTenMinutesAgo = certificate -> Optional.of(now.minus(Duration.ofMinutes(10)));
        CertificateTrust trust = new CertificateTrust(List.of(PKI.caCertificate()), Clock.systemUTC(), revokedTenMinutesAgo);

        assertUntrusted(() -> trust.verify(agency, List.of()));
        assertThatCode(() -> trust.verifyAsOf(agency, List.of(), admitted)).doesNotThrowAnyException();
        assertUntrusted(() -> trust.verifyAsOf(agency, List.of(), now.minus(Duration.ofMinutes(10))));
        assertUntrusted(() -> trust.verifyAsOf(agency, List.of(), now.minus(Duration.ofMinutes(5))));
    }

    @Test
    void intermediateSuppliedBySenderCompletesThePath() {
        TestPki regional = PKI.subordinate("Regional Test CA");
        X509Certificate agency = regional.identity("agency-north", ParticipantRole.AGENCY, KeyType.EC_P256)
                .certificate();

        assertThatCode(() -> TRUST.verify(agency, regional.chain())).doesNotThrowAnyException();
        assertUntrusted(() -> TRUST.verify(agency, List.of()));
    }

    @Test
    void senderSuppliedRootIsNotAnAnchor() {
        TestPki unrelated = TestPki.unrelated();
        X509Certificate stranger = unrelated.identity("agency-police", ParticipantRole.AGENCY, KeyType.EC_P256)
                .certificate();

        assertUntrusted(() -> TRUST.verify(stranger, List.of(unrelated.caCertificate(), PKI.caCertificate())));
    }
}

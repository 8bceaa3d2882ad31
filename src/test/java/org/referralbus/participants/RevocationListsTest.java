package org.referralbus.participants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.support.TestPki.Identity;
import org.referralbus.support.TestPki.KeyType;
import org.referralbus.support.TestPki;

class RevocationListsTest {

    private static final TestPki PKI = TestPki.shared();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    @Test
    void aRevokedSignerIsUntrustedAndOthersAreNot() {
        Identity revoked = PKI.issue("ngo-hotline", ParticipantRole.AGENCY, KeyType.EC_P256, Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(86_400));
        Identity other = PKI.identity("border-service", ParticipantRole.AGENCY, KeyType.EC_P256);
        RevocationLists crls = crls(PKI.crl(List.of(revoked.certificate())), Duration.ZERO);
        CertificateTrust trust = new CertificateTrust(List.of(PKI.caCertificate()), Clock.systemUTC(),
                crls);

        assertThat(crls.isRevoked(revoked.certificate())).isTrue();
        assertThatThrownBy(() -> trust.verify(revoked.certificate(), List.of()))
                .isInstanceOfSatisfying(ReferralBusException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGNER_UNTRUSTED));
        trust.verify(other.certificate(), List.of());
    }

    @Test
    void aRevocationIsDatedByTheEarlierOfItsRevocationAndInvalidityDates() {
        Instant now = Instant.now();
        Identity renewed = PKI.issue("ngo-shelter-line", ParticipantRole.AGENCY, KeyType.EC_P256, now.minus(Duration.ofDays(10)),
                now.plus(Duration.ofDays(10)));
        Identity compromised = PKI.issue("ngo-compromised", ParticipantRole.AGENCY, KeyType.EC_P256, now.minus(Duration.ofDays(10)),
                now.plus(Duration.ofDays(10)));
        Instant revokedAt = now.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS); // CRL dates are whole seconds
        Instant keyLostAt = now.minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);

        assertThat(crls(PKI.crlRevoking(renewed.certificate(), revokedAt, null), Duration.ZERO).revokedSince(renewed.certificate()))
                .contains(revokedAt);
        RevocationLists keyLost = crls(PKI.crlRevoking(compromised.certificate(), revokedAt, keyLostAt), Duration.ZERO);
        assertThat(keyLost.revokedSince(compromised.certificate())).contains(keyLostAt);
        assertThat(keyLost.revokedSince(renewed.certificate())).isEmpty();

        CertificateTrust trust = new CertificateTrust(List.of(PKI.caCertificate()), Clock.systemUTC(), keyLost);
        assertThatThrownBy(() -> trust.verifyAsOf(compromised.certificate(), List.of(), now.minus(Duration.ofDays(1))))
                .as("admitted after the key was lost, though before the revocation")
                .isInstanceOfSatisfying(ReferralBusException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGNER_UNTRUSTED));
        trust.verifyAsOf(compromised.certificate(), List.of(), now.minus(Duration.ofDays(5)));
    }

    @Test
    void aReplacedFileIsPickedUpAfterTheCheckInterval() {
        Identity agency = PKI.identity("iom-mission", ParticipantRole.AGENCY, KeyType.EC_P256);
        RevocationLists crls = crls(PKI.crl(List.of()), Duration.ofMinutes(1));
        assertThat(crls.isRevoked(agency.certificate())).isFalse();

        TestPki.writePem(dir.resolve("ca.crl"), PKI.crl(List.of(agency.certificate())));
        assertThat(crls.isRevoked(agency.certificate())).as("not yet checked again").isFalse();

        clock.advance(Duration.ofMinutes(1));
        assertThat(crls.isRevoked(agency.certificate())).isTrue();
    }

    @Test
    void aForgedOrForeignReplacementLeavesTheLastGoodListInForce() {
        Identity agency = PKI.identity("interior-ministry", ParticipantRole.AGENCY, KeyType.EC_P256);
        RevocationLists crls = crls(PKI.crl(List.of(agency.certificate())), Duration.ZERO);

        TestPki.writePem(dir.resolve("ca.crl"), TestPki.unrelated().forgedCrlInNameOf(PKI));
        assertThat(crls.isRevoked(agency.certificate())).isTrue();

        TestPki.writePem(dir.resolve("ca.crl"), "-----BEGIN X509 CRL-----\nbm90IGEgQ1JM\n-----END X509 CRL-----\n");
        assertThat(crls.isRevoked(agency.certificate())).isTrue();
    }

    @Test
    void anUnusableCrlFileStopsTheStart() throws Exception {
        Path forged = dir.resolve("forged.crl");
        TestPki.writePem(forged, TestPki.unrelated().forgedCrlInNameOf(PKI));
        Path missing = dir.resolve("missing.crl");

        assertThatThrownBy(() -> new RevocationLists(List.of(forged), List.of(PKI.caCertificate()), Duration.ZERO, clock))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RevocationLists(List.of(missing), List.of(PKI.caCertificate()), Duration.ZERO, clock))
                .isInstanceOf(IllegalStateException.class);
        assertThat(Files.exists(missing)).isFalse();
    }

    private RevocationLists crls(Object crl, Duration interval) {
        Path file = dir.resolve("ca.crl");
        TestPki.writePem(file, crl);
        return new RevocationLists(List.of(file), List.of(PKI.caCertificate()), interval, clock);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.now();

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package org.referralbus.participants;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralbus.support.TestPki;

class RegistryBindingTest {

    private static final TestPki PKI = TestPki.shared();
    private static final TestPki.Identity SHELTER = PKI.identity("shelter-dushanbe", ParticipantRole.PROVIDER,
            TestPki.KeyType.EC_P256);
    private static final TestPki.Identity AUDITOR = PKI.identity("oversight-board", ParticipantRole.AUDITOR,
            TestPki.KeyType.EC_P256);

    private final RegistryBinding binding = new RegistryBinding(List.of(
            identity -> identity.equals(new ParticipantIdentity("shelter-dushanbe", ParticipantRole.PROVIDER))
                    ? List.of(SHELTER.certificate()) : List.of(),
            identity -> identity.equals(new ParticipantIdentity("oversight-board", ParticipantRole.AUDITOR))
                    ? List.of(AUDITOR.certificate()) : List.of()));

    @Test
    void theRegisteredCertificateIsAdmitted() {
        assertThat(binding.check(new ParticipantIdentity("shelter-dushanbe", ParticipantRole.PROVIDER), SHELTER.certificate()))
                .isEqualTo(RegistryBinding.Verdict.ADMITTED);
    }

    @Test
    void aRenewalOnTheRegisteredKeyIsAdmitted() {
        TestPki.Identity renewed = PKI.renew("shelter-dushanbe", ParticipantRole.PROVIDER, SHELTER.certificate().getPublicKey(),
                SHELTER.key(), Instant.now(), Instant.now().plusSeconds(86_400));

        assertThat(renewed.certificate()).isNotEqualTo(SHELTER.certificate());
        assertThat(binding.check(ParticipantIdentity.of(renewed.certificate()), renewed.certificate()))
                .isEqualTo(RegistryBinding.Verdict.ADMITTED);
    }

    @Test
    void aLookAlikeOnANewKeyIsAKeyMismatch() {
        TestPki.Identity lookAlike = PKI.issue("shelter-dushanbe", ParticipantRole.PROVIDER, TestPki.KeyType.EC_P256,
                Instant.now(), Instant.now().plusSeconds(86_400));

        assertThat(binding.check(ParticipantIdentity.of(lookAlike.certificate()), lookAlike.certificate()))
                .isEqualTo(RegistryBinding.Verdict.KEY_MISMATCH);
    }

    @Test
    void aMadeUpIdOrAnotherRoleOfAListedIdIsNotListed() {
        assertThat(binding.check(new ParticipantIdentity("audit-office", ParticipantRole.AUDITOR), AUDITOR.certificate()))
                .isEqualTo(RegistryBinding.Verdict.NOT_LISTED);
        assertThat(binding.check(new ParticipantIdentity("oversight-board", ParticipantRole.ADMIN), AUDITOR.certificate()))
                .isEqualTo(RegistryBinding.Verdict.NOT_LISTED);
    }

    @Test
    void theSampleRegistriesListTheSampleCertificates() {
        OversightRegistry oversight = OversightRegistry.load(java.nio.file.Path.of("routes/oversight.yaml"));

        assertThat(oversight.certificatesOf(new ParticipantIdentity("oversight-board", ParticipantRole.AUDITOR))).hasSize(1);
        assertThat(oversight.certificatesOf(new ParticipantIdentity("bus-admin", ParticipantRole.ADMIN))).hasSize(1);
        assertThat(oversight.certificatesOf(new ParticipantIdentity("bus-admin", ParticipantRole.AUDITOR))).isEmpty();
    }
}

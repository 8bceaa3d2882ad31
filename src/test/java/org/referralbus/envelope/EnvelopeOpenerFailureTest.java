package org.referralbus.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.referralbus.envelope.EnvelopeRoundTripTest.REFERRAL;
import static org.referralbus.envelope.EnvelopeRoundTripTest.agencyEc;
import static org.referralbus.envelope.EnvelopeRoundTripTest.busEc;
import static org.referralbus.envelope.EnvelopeRoundTripTest.openerFor;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.TestPki.Identity;
import org.referralbus.support.TestPki.KeyType;
import org.referralbus.support.TestPki;

class EnvelopeOpenerFailureTest {

    private static final TestPki PKI = TestPki.shared();

    private static byte[] sealedForBus() {
        return new EnvelopeSealer(agencyEc().key(), agencyEc().certificate()).seal(REFERRAL, busEc().certificate());
    }

    private static void assertRejected(ThrowingCallable open, ErrorCode code) {
        assertThatThrownBy(open).isInstanceOfSatisfying(ReferralBusException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.getMessage()).doesNotContain("Саидова", "referral xmlns");
        });
    }

    @Test
    void tamperedAuthenticationTagIsDecryptionFailed() {
        byte[] envelope = sealedForBus();
        envelope[envelope.length - 3] ^= 0x01;

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void tamperedCiphertextIsDecryptionFailed() {
        byte[] envelope = sealedForBus();
        envelope[envelope.length - 40] ^= 0x01;

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void envelopeForAnotherRecipientIsDecryptionFailed() {
        Identity provider = PKI.identity("shelter-east", ParticipantRole.PROVIDER, KeyType.EC_P256);
        byte[] envelope = new EnvelopeSealer(agencyEc().key(), agencyEc().certificate()).seal(REFERRAL,
                provider.certificate());

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void rsaPkcs1KeyTransportIsRefused() throws Exception {
        Identity rsaBus = PKI.identity("bus-rsa", ParticipantRole.BUS, KeyType.RSA_2048);
        byte[] envelope = TestEnvelopes.authEnveloped(TestEnvelopes.signed(REFERRAL, agencyEc()),
                TestEnvelopes.rsaPkcs1(rsaBus.certificate()), CMSAlgorithm.AES256_GCM);

        assertRejected(() -> openerFor(rsaBus).open(envelope), ErrorCode.UNSUPPORTED_KEY_TRANSPORT);
    }

    @Test
    void signerFromAnotherCaIsUntrusted() {
        Identity stranger = TestPki.unrelated().identity("agency-police", ParticipantRole.AGENCY, KeyType.EC_P256);
        byte[] envelope = new EnvelopeSealer(stranger.key(), stranger.certificate()).seal(REFERRAL,
                busEc().certificate());

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.SIGNER_UNTRUSTED);
    }

    @Test
    void expiredSignerIsUntrusted() {
        Instant now = Instant.now();
        Identity expired = PKI.issue("agency-old", ParticipantRole.AGENCY, KeyType.EC_P256,
                now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)));
        byte[] envelope = new EnvelopeSealer(expired.key(), expired.certificate()).seal(REFERRAL,
                busEc().certificate());

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.SIGNER_UNTRUSTED);
    }

    @Test
    void notYetValidSignerIsUntrusted() {
        Instant now = Instant.now();
        Identity early = PKI.issue("agency-new", ParticipantRole.AGENCY, KeyType.EC_P256,
                now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(400)));
        byte[] envelope = new EnvelopeSealer(early.key(), early.certificate()).seal(REFERRAL, busEc().certificate());

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.SIGNER_UNTRUSTED);
    }

    @Test
    void trustedSignerWithoutAParticipantRoleIsForbidden() {
        Identity roleless = PKI.custom(TestPki.participantName("marketing", "agency-police"), List.of());
        byte[] envelope = new EnvelopeSealer(roleless.key(), roleless.certificate()).seal(REFERRAL,
                busEc().certificate());

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.FORBIDDEN);
    }

    @Test
    void garbageTruncatedAndEmptyBodiesAreMalformed() {
        byte[] envelope = sealedForBus();
        List<byte[]> bodies = List.of(new byte[0], "hello, bus".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0x30, (byte) 0x82, 0x10}, Arrays.copyOf(envelope, envelope.length / 2),
                Arrays.copyOf(envelope, envelope.length + 1),
                "-----BEGIN CMS-----\n!!!!\n-----END CMS-----\n".getBytes(StandardCharsets.US_ASCII),
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII),
                "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nMIIB\n"
                        .getBytes(StandardCharsets.US_ASCII));

        assertThat(bodies).allSatisfy(body ->
                assertRejected(() -> openerFor(busEc()).open(body), ErrorCode.ENVELOPE_MALFORMED));
    }

    @Test
    void bodyAboveTheSizeLimitIsMalformed() {
        byte[] envelope = sealedForBus();
        EnvelopeOpener small = new EnvelopeOpener(busEc().key(), busEc().certificate(),
                new CertificateTrust(List.of(PKI.caCertificate()), Clock.systemUTC()), envelope.length - 1);

        assertRejected(() -> small.open(envelope), ErrorCode.ENVELOPE_MALFORMED);
    }

    @Test
    void unencryptedSignedDataIsMalformed() throws Exception {
        byte[] signedOnly = TestEnvelopes.signed(REFERRAL, agencyEc());

        assertRejected(() -> openerFor(busEc()).open(signedOnly), ErrorCode.ENVELOPE_MALFORMED);
    }

    @Test
    void encryptedContentThatIsNotSignedDataIsSignatureInvalid() throws Exception {
        byte[] envelope = TestEnvelopes.authEnveloped(REFERRAL,
                TestEnvelopes.ecdh(busEc().certificate(), CMSAlgorithm.ECDH_SHA256KDF), CMSAlgorithm.AES256_GCM);

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.SIGNATURE_INVALID);
    }

    @Test
    void detachedInnerSignatureIsSignatureInvalid() throws Exception {
        byte[] detached = TestEnvelopes.signed(REFERRAL, agencyEc(), "SHA256withECDSA", false,
                List.of(agencyEc().certificate()));
        byte[] envelope = TestEnvelopes.authEnveloped(detached,
                TestEnvelopes.ecdh(busEc().certificate(), CMSAlgorithm.ECDH_SHA256KDF), CMSAlgorithm.AES256_GCM);

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.SIGNATURE_INVALID);
    }

    @Test
    void sha1InnerSignatureIsSignatureInvalid() throws Exception {
        byte[] sha1 = TestEnvelopes.signed(REFERRAL, agencyEc(), "SHA1withECDSA", true,
                List.of(agencyEc().certificate()));
        byte[] envelope = TestEnvelopes.authEnveloped(sha1,
                TestEnvelopes.ecdh(busEc().certificate(), CMSAlgorithm.ECDH_SHA256KDF), CMSAlgorithm.AES256_GCM);

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.SIGNATURE_INVALID);
    }

    @Test
    void innerSignatureWithoutSignerCertificateIsSignatureInvalid() throws Exception {
        byte[] bare = TestEnvelopes.signed(REFERRAL, agencyEc(), "SHA256withECDSA", true, List.of());
        byte[] envelope = TestEnvelopes.authEnveloped(bare,
                TestEnvelopes.ecdh(busEc().certificate(), CMSAlgorithm.ECDH_SHA256KDF), CMSAlgorithm.AES256_GCM);

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.SIGNATURE_INVALID);
    }

    /**
     * Issue 10, finding 8: good and bad CBC padding were answered alike but ~1.5 ms apart. EnvelopedData is now
     * refused from its content type, before any key or cipher operation, so a well-formed, a tampered and a
     * someone-else's CBC envelope all get the very same answer at the same cost.
     */
    @Test
    void cbcEnvelopedDataIsRefusedBeforeAnyDecryption() throws Exception {
        byte[] valid = TestEnvelopes.envelopedCbc(TestEnvelopes.signed(REFERRAL, agencyEc()),
                TestEnvelopes.ecdh(busEc().certificate(), CMSAlgorithm.ECDH_SHA1KDF), CMSAlgorithm.AES256_CBC);
        byte[] badPadding = valid.clone();
        badPadding[badPadding.length - 17] ^= 0x01;
        Identity provider = PKI.identity("shelter-east", ParticipantRole.PROVIDER, KeyType.EC_P256);
        byte[] forSomeoneElse = TestEnvelopes.envelopedCbc(TestEnvelopes.signed(REFERRAL, agencyEc()),
                TestEnvelopes.ecdh(provider.certificate(), CMSAlgorithm.ECDH_SHA256KDF), CMSAlgorithm.AES128_CBC);
        List<String> answers = new java.util.ArrayList<>();

        for (byte[] envelope : List.of(valid, badPadding, forSomeoneElse)) {
            assertThatThrownBy(() -> openerFor(busEc()).open(envelope)).isInstanceOfSatisfying(ReferralBusException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_ENVELOPE);
                assertThat(e.getCause()).isNull();
                answers.add(e.getMessage());
            });
        }
        assertThat(answers).containsOnly(answers.get(0));
    }

    @Test
    void aes128GcmIsAccepted() throws Exception {
        byte[] envelope = TestEnvelopes.authEnveloped(TestEnvelopes.signed(REFERRAL, agencyEc()),
                TestEnvelopes.ecdh(busEc().certificate(), CMSAlgorithm.ECDH_SHA1KDF), CMSAlgorithm.AES128_GCM);

        assertThat(openerFor(busEc()).open(envelope).content()).isEqualTo(REFERRAL);
    }

    @Test
    void cbcWhateverItCarriesIsRefusedAsUnsupported() throws Exception {
        byte[] envelope = TestEnvelopes.envelopedCbc(REFERRAL,
                TestEnvelopes.ecdh(busEc().certificate(), CMSAlgorithm.ECDH_SHA256KDF), CMSAlgorithm.AES256_CBC);

        assertRejected(() -> openerFor(busEc()).open(envelope), ErrorCode.UNSUPPORTED_ENVELOPE);
    }

    @Test
    void decryptionFailuresShareOneMessage() {
        byte[] tampered = sealedForBus();
        tampered[tampered.length - 3] ^= 0x01;
        Identity provider = PKI.identity("shelter-east", ParticipantRole.PROVIDER, KeyType.EC_P256);
        byte[] otherRecipient = new EnvelopeSealer(agencyEc().key(), agencyEc().certificate()).seal(REFERRAL,
                provider.certificate());

        assertThat(List.of(tampered, otherRecipient)).allSatisfy(body ->
                assertThatThrownBy(() -> openerFor(busEc()).open(body))
                        .hasMessage(EnvelopeDecryptor.DECRYPTION_FAILED_MESSAGE).hasNoCause());
    }
}

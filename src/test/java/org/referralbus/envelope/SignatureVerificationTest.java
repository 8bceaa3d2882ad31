package org.referralbus.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.referralbus.envelope.EnvelopeRoundTripTest.REFERRAL;
import static org.referralbus.envelope.EnvelopeRoundTripTest.agencyEc;

import java.security.PrivateKey;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.TestPki;
import org.referralbus.support.TestPki.Identity;
import org.referralbus.support.TestPki.KeyType;

/**
 * The inner signature is checked by its mathematics, with and without signed attributes: an EC signature made with
 * another key than the certificate's is refused on both paths (the verifier chosen for EC with signed attributes is
 * Bouncy Castle's lightweight one, the JCA one without).
 */
class SignatureVerificationTest {

    private static final Identity IMPOSTOR = TestPki.shared().identity("impostor", ParticipantRole.AGENCY,
            KeyType.EC_P256);

    @Test
    void ecSignatureWithSignedAttributesVerifiesOnlyWithTheCertificatesKey() {
        byte[] genuine = new EnvelopeSealer(agencyEc().key(), agencyEc().certificate()).sign(REFERRAL);
        byte[] forged = new EnvelopeSealer(IMPOSTOR.key(), agencyEc().certificate()).sign(REFERRAL);

        assertThat(SignedContentVerifier.verify(genuine).content()).isEqualTo(REFERRAL);
        assertInvalid(forged);
    }

    @Test
    void ecSignatureWithoutSignedAttributesVerifiesOnlyWithTheCertificatesKey() throws Exception {
        assertThat(SignedContentVerifier.verify(direct(agencyEc().key())).content()).isEqualTo(REFERRAL);
        assertInvalid(direct(IMPOSTOR.key()));
    }

    @Test
    void detachedReceiptSignatureCoversExactlyItsData() {
        byte[] signature = new EnvelopeSealer(agencyEc().key(), agencyEc().certificate()).signDetached(REFERRAL);
        byte[] other = REFERRAL.clone();
        other[other.length - 2] ^= 0x01;

        assertThat(SignedContentVerifier.verifyDetached(REFERRAL, signature).signer())
                .isEqualTo(agencyEc().certificate());
        assertThatThrownBy(() -> SignedContentVerifier.verifyDetached(other, signature))
                .isInstanceOfSatisfying(ReferralBusException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGNATURE_INVALID));
    }

    /** A SignerInfo with no signed attributes (OpenSSL {@code -noattr}): the signature is over the content itself. */
    private static byte[] direct(PrivateKey key) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                .build()).setDirectSignature(true)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key), agencyEc().certificate()));
        generator.addCertificates(new JcaCertStore(List.of(agencyEc().certificate())));
        return generator.generate(new CMSProcessableByteArray(REFERRAL), true).toASN1Structure()
                .getEncoded(ASN1Encoding.DER);
    }

    private static void assertInvalid(byte[] signedData) {
        assertThatThrownBy(() -> SignedContentVerifier.verify(signedData))
                .isInstanceOfSatisfying(ReferralBusException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGNATURE_INVALID));
    }
}

package org.referralbus.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.Sha256;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.participants.ParticipantIdentity;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.TestPki.Identity;
import org.referralbus.support.TestPki.KeyType;
import org.referralbus.support.TestPki;

class EnvelopeRoundTripTest {

    static final byte[] REFERRAL = "<referral xmlns=\"urn:referral-bus:referral:1\"><x>Саидова Нигина</x></referral>"
            .getBytes(StandardCharsets.UTF_8);

    private static final TestPki PKI = TestPki.shared();
    private static final CertificateTrust TRUST = new CertificateTrust(List.of(PKI.caCertificate()),
            Clock.systemUTC());

    static Identity busEc() {
        return PKI.identity("bus", ParticipantRole.BUS, KeyType.EC_P256);
    }

    static Identity agencyEc() {
        return PKI.identity("agency-police", ParticipantRole.AGENCY, KeyType.EC_P256);
    }

    static EnvelopeOpener openerFor(Identity recipient) {
        return new EnvelopeOpener(recipient.key(), recipient.certificate(), TRUST);
    }

    @Test
    void ecAgencyEnvelopeOpensForEcBus() {
        byte[] envelope = new EnvelopeSealer(agencyEc().key(), agencyEc().certificate())
                .seal(REFERRAL, busEc().certificate());

        OpenedEnvelope opened = openerFor(busEc()).open(envelope);

        assertThat(opened.content()).isEqualTo(REFERRAL);
        assertThat(opened.signerIdentity()).isEqualTo(new ParticipantIdentity("agency-police", ParticipantRole.AGENCY));
        assertThat(opened.signer()).isEqualTo(agencyEc().certificate());
        assertThat(opened.contentSha256()).isEqualTo(Sha256.hex(REFERRAL)).matches("[0-9a-f]{64}");
        assertThat(opened.envelopeSha256()).isEqualTo(Sha256.hex(envelope));
    }

    @Test
    void anEnvelopeAdmittedBeforeItsSignersCertificateExpiredOpensAgainAsOfItsAdmission() {
        Instant now = Instant.now();
        Identity renewedSince = PKI.issue("agency-renewed", ParticipantRole.AGENCY, KeyType.EC_P256,
                now.minus(Duration.ofDays(365)), now.minus(Duration.ofDays(1)));
        byte[] envelope = new EnvelopeSealer(renewedSince.key(), renewedSince.certificate()).seal(REFERRAL, busEc().certificate());

        assertThatThrownBy(() -> openerFor(busEc()).open(envelope))
                .isInstanceOfSatisfying(ReferralBusException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGNER_UNTRUSTED));
        OpenedEnvelope reopened = openerFor(busEc()).reopen(new AdmittedEnvelope(envelope, now.minus(Duration.ofDays(30))));

        assertThat(reopened.content()).isEqualTo(REFERRAL);
        assertThat(reopened.signerIdentity().id()).isEqualTo("agency-renewed");
    }

    @Test
    void rsa3072AgencyEnvelopeOpensForEcBus() {
        Identity agency = PKI.identity("agency-ngo", ParticipantRole.AGENCY, KeyType.RSA_3072);
        byte[] envelope = new EnvelopeSealer(agency.key(), agency.certificate()).seal(REFERRAL, busEc().certificate());

        OpenedEnvelope opened = openerFor(busEc()).open(envelope);

        assertThat(opened.content()).isEqualTo(REFERRAL);
        assertThat(opened.signerIdentity().id()).isEqualTo("agency-ngo");
    }

    @Test
    void busEnvelopeOpensForEcProvider() {
        Identity provider = PKI.identity("shelter-east", ParticipantRole.PROVIDER, KeyType.EC_P256);
        byte[] envelope = new EnvelopeSealer(busEc().key(), busEc().certificate()).seal(REFERRAL,
                provider.certificate());

        OpenedEnvelope opened = openerFor(provider).open(envelope);

        assertThat(opened.content()).isEqualTo(REFERRAL);
        assertThat(opened.signerIdentity()).isEqualTo(new ParticipantIdentity("bus", ParticipantRole.BUS));
    }

    @Test
    void busEnvelopeForRsaProviderUsesOaepSha256() throws Exception {
        Identity provider = PKI.identity("legal-aid", ParticipantRole.PROVIDER, KeyType.RSA_2048);
        byte[] envelope = new EnvelopeSealer(busEc().key(), busEc().certificate()).seal(REFERRAL,
                provider.certificate());

        RecipientInformation recipient = new CMSAuthEnvelopedData(envelope).getRecipientInfos().getRecipients()
                .iterator().next();
        assertThat(recipient.getKeyEncryptionAlgorithm().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_RSAES_OAEP);
        RSAESOAEPparams oaep = RSAESOAEPparams.getInstance(recipient.getKeyEncryptionAlgorithm().getParameters());
        assertThat(oaep.getHashAlgorithm().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_sha256);
        assertThat(openerFor(provider).open(envelope).content()).isEqualTo(REFERRAL);
    }

    @Test
    void rsaBusOpensOaepEnvelope() {
        Identity rsaBus = PKI.identity("bus-rsa", ParticipantRole.BUS, KeyType.RSA_2048);
        byte[] envelope = new EnvelopeSealer(agencyEc().key(), agencyEc().certificate()).seal(REFERRAL,
                rsaBus.certificate());

        assertThat(openerFor(rsaBus).open(envelope).content()).isEqualTo(REFERRAL);
    }

    @Test
    void everySealUsesAFreshEphemeralKey() throws Exception {
        EnvelopeSealer sealer = new EnvelopeSealer(agencyEc().key(), agencyEc().certificate());

        byte[] first = sealer.seal(REFERRAL, busEc().certificate());
        byte[] second = sealer.seal(REFERRAL, busEc().certificate());

        assertThat(originatorKey(first)).isNotEqualTo(originatorKey(second));
    }

    @Test
    void envelopeHashIsTheSameForDerPemAndSmime() {
        byte[] der = new EnvelopeSealer(agencyEc().key(), agencyEc().certificate()).seal(REFERRAL,
                busEc().certificate());
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        byte[] pem = ("-----BEGIN CMS-----\n" + base64 + "\n-----END CMS-----\n").getBytes(StandardCharsets.US_ASCII);
        byte[] pkcs7Pem = ("-----BEGIN PKCS7-----\r\n" + base64.replace("\n", "\r\n") + "\r\n-----END PKCS7-----\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        String smime = "MIME-Version: 1.0\nContent-Disposition: attachment; filename=\"smime.p7m\"\n"
                + "Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data;\n name=\"smime.p7m\"\n"
                + "Content-Transfer-Encoding: base64\n\n" + base64 + "\n\n";
        byte[] smimeLf = smime.getBytes(StandardCharsets.US_ASCII);
        byte[] smimeCrlf = smime.replace("\n", "\r\n").replace("application/pkcs7-mime", "application/x-pkcs7-mime")
                .getBytes(StandardCharsets.US_ASCII);
        EnvelopeOpener opener = openerFor(busEc());

        String expected = opener.open(der).envelopeSha256();

        assertThat(List.of(pem, pkcs7Pem, smimeLf, smimeCrlf))
                .allSatisfy(encoded -> assertThat(opener.open(encoded).envelopeSha256()).isEqualTo(expected));
    }

    @Test
    void oneOpenerAndOneSealerServeConcurrentMessages() throws Exception {
        EnvelopeSealer sealer = new EnvelopeSealer(agencyEc().key(), agencyEc().certificate());
        EnvelopeOpener opener = openerFor(busEc());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                byte[] content = ("<referral n=\"" + i + "\"/>").getBytes(StandardCharsets.UTF_8);
                results.add(pool.submit(() -> opener.open(sealer.seal(content, busEc().certificate())).content()));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(new String(results.get(i).get(), StandardCharsets.UTF_8)).contains("\"" + i + "\"");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void detachedSignatureVerifiesOverTheData() throws Exception {
        byte[] receipt = "{\"receipt\":\"Нигина\"}".getBytes(StandardCharsets.UTF_8);
        byte[] signature = new EnvelopeSealer(busEc().key(), busEc().certificate()).signDetached(receipt);

        CMSSignedData signedData = new CMSSignedData(new CMSProcessableByteArray(receipt), signature);
        SignerInformation signer = signedData.getSignerInfos().getSigners().iterator().next();

        assertThat(ContentInfo.getInstance(signature).getContent()).isNotNull();
        assertThat(signer.getDigestAlgOID()).isEqualTo(NISTObjectIdentifiers.id_sha256.getId());
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(busEc().certificate()))).isTrue();
    }

    @Test
    void everySignatureCarriesTheStandardSignedAttributesWithTheSecondItWasMadeIn() throws Exception {
        EnvelopeSealer sealer = new EnvelopeSealer(busEc().key(), busEc().certificate());
        byte[] receipt = "{\"receipt\":\"Нигина\"}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            byte[] signature = sealer.signDetached(receipt);
            Instant after = Instant.now();

            SignerInformation signer = new CMSSignedData(new CMSProcessableByteArray(receipt), signature)
                    .getSignerInfos().getSigners().iterator().next();
            AttributeTable attributes = signer.getSignedAttributes();
            assertThat(attributes.toHashtable().keySet()).containsExactlyInAnyOrder(CMSAttributes.contentType,
                    CMSAttributes.messageDigest, CMSAttributes.signingTime, CMSAttributes.cmsAlgorithmProtect);
            Instant signedAt = Time.getInstance(attributes.get(CMSAttributes.signingTime).getAttrValues()
                    .getObjectAt(0)).getDate().toInstant();
            assertThat(signedAt).isBetween(before, after);
            assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(busEc().certificate()))).isTrue();
            Thread.sleep(600);
        }
    }

    private static byte[] originatorKey(byte[] envelope) throws Exception {
        KeyAgreeRecipientInformation recipient = (KeyAgreeRecipientInformation) new CMSAuthEnvelopedData(envelope)
                .getRecipientInfos().getRecipients().iterator().next();
        return recipient.getOriginator().getOriginatorKey().getPublicKey().getBytes();
    }
}

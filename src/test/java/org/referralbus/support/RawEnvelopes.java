package org.referralbus.support;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.support.TestPki.Identity;

/** Envelopes an honest agency would never send: encrypted (correctly) around whatever bytes a test wants. */
public final class RawEnvelopes {

    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private RawEnvelopes() {
    }

    /** AuthEnvelopedData (AES-256-GCM, ECDH) for an EC recipient around exactly {@code inner}. */
    public static byte[] encrypt(byte[] inner, X509Certificate recipient) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
            generator.initialize(((ECPublicKey) recipient.getPublicKey()).getParams());
            KeyPair ephemeral = generator.generateKeyPair();
            CMSAuthEnvelopedDataGenerator envelope = new CMSAuthEnvelopedDataGenerator();
            envelope.addRecipientInfoGenerator(new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF,
                    ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP).addRecipient(recipient)
                    .setProvider(BC));
            return envelope.generate(new CMSProcessableByteArray(inner),
                    (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM).setProvider(BC).build())
                    .toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed by a sample agency, then the signed content changed by one byte, then encrypted for the bus. */
    public static byte[] signatureNotCoveringContent(String agencyId, byte[] xml) {
        byte[] signed = SampleKeys.agencySealer(agencyId).sign(xml);
        byte[] marker = "<referralId>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = indexOf(signed, marker);
        signed[at + marker.length] ^= 0x01;
        return encrypt(signed, SampleKeys.busCertificate());
    }

    /** Sealed for the bus by any test identity (another CA, an expired certificate, a revoked one …). */
    public static byte[] sealedBy(Identity signer, byte[] xml, X509Certificate recipient) {
        return new EnvelopeSealer(signer.key(), signer.certificate()).seal(xml, recipient);
    }

    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }
}

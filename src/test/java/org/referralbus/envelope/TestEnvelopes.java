package org.referralbus.envelope;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.referralbus.support.TestPki.Identity;

/** Builds envelopes the production sealer never writes: other ciphers, other key transport, odd content. */
final class TestEnvelopes {

    private TestEnvelopes() {
    }

    /** AuthEnvelopedData with AES-GCM of the given strength, over {@code content} as id-data. */
    static byte[] authEnveloped(byte[] content, RecipientInfoGenerator recipient, ASN1ObjectIdentifier gcm)
            throws Exception {
        CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(recipient);
        return generator.generate(new CMSProcessableByteArray(content),
                (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(gcm).setProvider(BouncyCastle.PROVIDER)
                        .build()).getEncoded();
    }

    /** EnvelopedData with AES-CBC over {@code content} as id-data. */
    static byte[] envelopedCbc(byte[] content, RecipientInfoGenerator recipient, ASN1ObjectIdentifier cbc)
            throws Exception {
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(recipient);
        return generator.generate(new CMSProcessableByteArray(content),
                new JceCMSContentEncryptorBuilder(cbc).setProvider(BouncyCastle.PROVIDER).build()).getEncoded();
    }

    static RecipientInfoGenerator ecdh(X509Certificate recipient, ASN1ObjectIdentifier agreement) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(((ECPublicKey) recipient.getPublicKey()).getParams());
        KeyPair ephemeral = generator.generateKeyPair();
        return new JceKeyAgreeRecipientInfoGenerator(agreement, ephemeral.getPrivate(), ephemeral.getPublic(),
                CMSAlgorithm.AES256_WRAP).addRecipient(recipient).setProvider(BouncyCastle.PROVIDER);
    }

    /** RSA PKCS#1 v1.5 key transport (rsaEncryption), which the bus refuses. */
    static RecipientInfoGenerator rsaPkcs1(X509Certificate recipient) throws Exception {
        return new JceKeyTransRecipientInfoGenerator(recipient).setProvider(BouncyCastle.PROVIDER);
    }

    /** SignedData DER by {@code signer} with any JCA signature algorithm, encapsulated or detached. */
    static byte[] signed(byte[] content, Identity signer, String algorithm, boolean encapsulate,
                         List<X509Certificate> certificates) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                .build()).build(new JcaContentSignerBuilder(algorithm).build(signer.key()), signer.certificate()));
        generator.addCertificates(new JcaCertStore(certificates));
        return generator.generate(new CMSProcessableByteArray(content), encapsulate).toASN1Structure()
                .getEncoded(ASN1Encoding.DER);
    }

    static byte[] signed(byte[] content, Identity signer) throws Exception {
        return signed(content, signer, signer.key().getAlgorithm().equals("RSA") ? "SHA256withRSA"
                : "SHA256withECDSA", true, List.of(signer.certificate()));
    }
}

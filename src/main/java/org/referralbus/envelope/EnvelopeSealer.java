package org.referralbus.envelope;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.CollectionStore;
import org.bouncycastle.util.Store;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * Signs, and signs-then-encrypts, content the way OpenSSL 3.0 can open it.
 *
 * <p>Implementation note: SignedData with SHA-256 (SHA256withECDSA or SHA256withRSA), the signer certificate
 * included, DER. {@link #seal} encrypts the DER of that SignedData as id-data (not id-signedData: OpenSSL
 * issue 26101) in an AuthEnvelopedData with AES-256-GCM; the content-encryption key and GCM nonce are fresh
 * per call. EC recipients get ECDH (dhSinglePass-stdDH-sha256kdf) with an ephemeral key pair generated per
 * message on the recipient's curve — never reused; only the curve's parameters are shared — and AES-256 key wrap; RSA recipients get RSA-OAEP with
 * SHA-256 and MGF1-SHA-256. Thread-safe: per-message objects (signer, generators, encryptor) are local.
 */
public final class EnvelopeSealer {

    private static final AlgorithmIdentifier OAEP_SHA256;

    static {
        try {
            OAEP_SHA256 = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                    PKCSObjectIdentifiers.id_RSAES_OAEP, new OAEPParameterSpec("SHA-256", "MGF1",
                            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Bouncy Castle's parameters per named curve, made once: their generator point keeps the multiples Bouncy Castle
     * precomputes for it, which a spec converted afresh from the recipient's key loses, so each ephemeral key cost
     * that precomputation again (about as much as the key itself). Bounded by the curves Bouncy Castle names.
     */
    private static final Map<ASN1ObjectIdentifier, ECNamedCurveParameterSpec> NAMED_CURVES = new ConcurrentHashMap<>();

    private final PrivateKey signerKey;
    private final X509Certificate signerCertificate;
    /** The signer's certificate, parsed once: it names the signer and travels with each signature. */
    private final X509CertificateHolder signerHolder;
    private final SigningTimes signingTimes = new SigningTimes();
    private final String signatureAlgorithm;
    private final Store<X509CertificateHolder> certificates;
    private final DigestCalculatorProvider digests;

    public EnvelopeSealer(PrivateKey signerKey, X509Certificate signerCertificate) {
        this.signerKey = signerKey;
        this.signerCertificate = signerCertificate;
        this.signatureAlgorithm = switch (signerKey.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Signer key must be EC or RSA, not "
                    + signerKey.getAlgorithm());
        };
        try {
            this.signerHolder = new X509CertificateHolder(signerCertificate.getEncoded());
            this.certificates = new CollectionStore<>(List.of(signerHolder));
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build();
        } catch (Exception e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Unusable signer certificate", e);
        }
    }

    /** The certificate of the key this sealer signs with. */
    public X509Certificate certificate() {
        return signerCertificate;
    }

    /** SignedData over {@code content}, content encapsulated (id-data), DER. */
    public byte[] sign(byte[] content) {
        return signedData(content, true);
    }

    /** Detached SignedData over {@code data} (e.g. a JSON receipt), DER. */
    public byte[] signDetached(byte[] data) {
        return signedData(data, false);
    }

    /** {@link #sign(byte[])}, then AuthEnvelopedData AES-256-GCM for {@code recipient}, DER. */
    public byte[] seal(byte[] content, X509Certificate recipient) {
        byte[] signed = sign(content);
        try {
            CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(recipientInfo(recipient));
            OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(
                    CMSAlgorithm.AES256_GCM).setProvider(BouncyCastle.PROVIDER)
                    .setSecureRandom(BouncyCastle.RANDOM).build();
            return generator.generate(new CMSProcessableByteArray(signed), encryptor)
                    .toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Sealing for recipient serial "
                    + recipient.getSerialNumber().toString(16) + " failed", e);
        }
    }

    private byte[] signedData(byte[] content, boolean encapsulate) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests)
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(signingTimes.now()))
                    .build(new JcaContentSignerBuilder(signatureAlgorithm).setProvider(BouncyCastle.PROVIDER)
                            .setSecureRandom(BouncyCastle.RANDOM).build(signerKey), signerHolder));
            generator.addCertificates(certificates);
            return generator.generate(new CMSProcessableByteArray(content), encapsulate)
                    .toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Signing failed (" + signatureAlgorithm + ")",
                    e);
        }
    }

    private static RecipientInfoGenerator recipientInfo(X509Certificate recipient) throws Exception {
        PublicKey key = recipient.getPublicKey();
        if (key instanceof ECPublicKey ecKey) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
            generator.initialize(ephemeralParameters(ecKey), BouncyCastle.RANDOM);
            KeyPair ephemeral = generator.generateKeyPair();
            return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(),
                    ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                    .addRecipient(recipient)
                    .setProvider(BouncyCastle.PROVIDER)
                    .setSecureRandom(BouncyCastle.RANDOM);
        }
        if (key.getAlgorithm().equals("RSA")) {
            return new JceKeyTransRecipientInfoGenerator(recipient, OAEP_SHA256).setProvider(BouncyCastle.PROVIDER);
        }
        throw new ReferralBusException(ErrorCode.INTERNAL_ERROR,
                "Recipient key must be EC or RSA, not " + key.getAlgorithm());
    }

    /** The recipient's named curve as Bouncy Castle's shared spec; a curve given by explicit parameters as before. */
    private static AlgorithmParameterSpec ephemeralParameters(ECPublicKey recipientKey) {
        ASN1Encodable parameters = SubjectPublicKeyInfo.getInstance(recipientKey.getEncoded()).getAlgorithm()
                .getParameters();
        if (parameters instanceof ASN1ObjectIdentifier curve) {
            ECNamedCurveParameterSpec spec = NAMED_CURVES.computeIfAbsent(curve,
                    oid -> ECNamedCurveTable.getParameterSpec(oid.getId()));
            if (spec != null) {
                return spec;
            }
        }
        return recipientKey.getParams();
    }
}

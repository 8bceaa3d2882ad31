package org.referralbus.envelope;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessable;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.bc.BcECSignerInfoVerifierBuilder;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * Verifies the inner SignedData that every envelope carries.
 *
 * <p>Implementation note: exactly one signer, encapsulated id-data content, the signer certificate inside the
 * SignedData; digest SHA-256/384/512 and an RSA or ECDSA signature (SHA-1 and MD5 are refused). The signature
 * is checked against the certificate's public key only; whether that certificate is trusted, and valid now, is
 * the caller's next step ({@code CertificateTrust}). Every failure is {@link ErrorCode#SIGNATURE_INVALID}.
 * Stateless and thread-safe.
 */
final class SignedContentVerifier {

    private static final Set<String> DIGESTS = Set.of(NISTObjectIdentifiers.id_sha256.getId(),
            NISTObjectIdentifiers.id_sha384.getId(), NISTObjectIdentifiers.id_sha512.getId());
    private static final Set<String> SIGNATURES = Set.of(PKCSObjectIdentifiers.rsaEncryption.getId(),
            PKCSObjectIdentifiers.sha256WithRSAEncryption.getId(),
            PKCSObjectIdentifiers.sha384WithRSAEncryption.getId(),
            PKCSObjectIdentifiers.sha512WithRSAEncryption.getId(), PKCSObjectIdentifiers.id_RSASSA_PSS.getId(),
            X9ObjectIdentifiers.ecdsa_with_SHA256.getId(), X9ObjectIdentifiers.ecdsa_with_SHA384.getId(),
            X9ObjectIdentifiers.ecdsa_with_SHA512.getId(), X9ObjectIdentifiers.id_ecPublicKey.getId());

    /**
     * Bouncy Castle's lightweight ECDSA verifier builder, made once: it holds only read-only tables (making its table of
     * signature names for every envelope opened was 0.5 % of a busy bus's samples), and each {@code build} gives a
     * verifier of its own.
     */
    private static final BcECSignerInfoVerifierBuilder EC_VERIFIERS = new BcECSignerInfoVerifierBuilder(
            new DefaultCMSSignatureAlgorithmNameGenerator(), new DefaultSignatureAlgorithmIdentifierFinder(),
            new DefaultDigestAlgorithmIdentifierFinder(), new BcDigestCalculatorProvider());

    /** The verified content, its signer, and the other certificates the sender supplied (untrusted). */
    record Verified(byte[] content, X509Certificate signer, List<X509Certificate> otherCertificates) {
    }

    private SignedContentVerifier() {
    }

    static Verified verify(byte[] signedDataDer) {
        CMSSignedData signedData = parse(signedDataDer);
        try {
            return verify(signedData);
        } catch (ReferralBusException e) {
            throw e;
        } catch (RuntimeException e) {
            // Bouncy Castle parses certificates and attributes lazily and throws unchecked exceptions on garbage
            // (found by EnvelopeOpenerFuzzTest): hostile structure is an invalid signature, not an internal error.
            throw invalid("SignedData structure does not parse");
        }
    }

    /** A detached signature (as on receipts) over exactly {@code data}; the same rules as an encapsulated one. */
    static Verified verifyDetached(byte[] data, byte[] signedDataDer) {
        CMSSignedData parsed = parse(signedDataDer);
        try {
            return verify(new CMSSignedData(new org.bouncycastle.cms.CMSProcessableByteArray(data), parsed.toASN1Structure()));
        } catch (ReferralBusException e) {
            throw e;
        } catch (Exception e) {
            throw invalid("SignedData structure does not parse");
        }
    }

    private static Verified verify(CMSSignedData signedData) {
        CMSProcessable content = signedData.getSignedContent();
        if (content == null || !CMSObjectIdentifiers.data.getId().equals(signedData.getSignedContentTypeOID())) {
            throw invalid("SignedData has no encapsulated id-data content");
        }
        Collection<SignerInformation> signers = signedData.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw invalid("SignedData has " + signers.size() + " signers, expected 1");
        }
        SignerInformation signer = signers.iterator().next();
        if (!DIGESTS.contains(signer.getDigestAlgOID())) {
            throw invalid("Digest algorithm " + signer.getDigestAlgOID() + " is not accepted");
        }
        if (!SIGNATURES.contains(signer.getEncryptionAlgOID())) {
            throw invalid("Signature algorithm " + signer.getEncryptionAlgOID() + " is not accepted");
        }
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = signedData.getCertificates().getMatches(signer.getSID());
        if (matches.isEmpty()) {
            throw invalid("Signer certificate is not included in the SignedData");
        }
        X509CertificateHolder signerHolder = matches.iterator().next();
        X509Certificate signerCertificate = toCertificate(signerHolder);
        try {
            // Built from the public key, not the holder: certificate validity is CertificateTrust's job, at now.
            if (!signer.verify(verifierFor(signer, signerHolder, signerCertificate))) {
                throw invalid("Signature does not verify");
            }
        } catch (ReferralBusException e) {
            throw e;
        } catch (Exception e) {
            throw invalid("Signature does not verify");
        }
        List<X509Certificate> others = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> all = signedData.getCertificates().getMatches(null);
        for (X509CertificateHolder holder : all) {
            if (!holder.equals(signerHolder)) {
                others.add(toCertificate(holder));
            }
        }
        return new Verified((byte[]) content.getContent(), signerCertificate, List.copyOf(others));
    }

    /**
     * With signed attributes (OpenSSL's default, and the bus's own) and an EC key: Bouncy Castle's lightweight ECDSA
     * verifier over the same key, same rules. The JCA builder's verifier also runs a "raw" ECDSA verification after
     * the real one (to free PKCS#11 sessions), doubling the cost, and ignores its result; it is needed only for a
     * SignerInfo without signed attributes, which keeps that path.
     */
    private static SignerInformationVerifier verifierFor(SignerInformation signer, X509CertificateHolder holder,
                                                         X509Certificate certificate) throws Exception {
        if (signer.getSignedAttributes() != null
                && PublicKeyFactory.createKey(holder.getSubjectPublicKeyInfo()) instanceof ECPublicKeyParameters key) {
            return EC_VERIFIERS.build(key);
        }
        return new JcaSimpleSignerInfoVerifierBuilder().setProvider(BouncyCastle.PROVIDER)
                .build(certificate.getPublicKey());
    }

    private static CMSSignedData parse(byte[] der) {
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            ASN1Primitive object = in.readObject();
            if (object == null || in.readObject() != null) {
                throw invalid("Decrypted content is not one ASN.1 object");
            }
            ContentInfo contentInfo = ContentInfo.getInstance(object);
            if (!CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
                throw invalid("Decrypted content is " + contentInfo.getContentType() + ", not SignedData");
            }
            return new CMSSignedData(contentInfo);
        } catch (ReferralBusException e) {
            throw e;
        } catch (Exception e) {
            throw invalid("Decrypted content is not a CMS SignedData");
        }
    }

    private static X509Certificate toCertificate(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw invalid("Certificate in the SignedData does not parse");
        }
    }

    private static ReferralBusException invalid(String message) {
        return new ReferralBusException(ErrorCode.SIGNATURE_INVALID, message);
    }
}

package org.referralbus.envelope;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * Removes the outer encryption layer for the bus.
 *
 * <p>Implementation note: accepts AuthEnvelopedData with AES-GCM only, so every byte returned is authenticated.
 * EnvelopedData (AES-CBC, unauthenticated) is refused as {@link ErrorCode#UNSUPPORTED_ENVELOPE} from its content
 * type alone, before it is parsed and before any private-key or cipher operation: a good and a bad CBC padding cost
 * the same, so neither the answer nor its timing is a padding oracle (issue 10). Key management: ECDH (stdDH, X9.63 KDF with SHA-1/224/256/384/512) for an
 * EC bus key, RSA-OAEP with SHA-1 or SHA-256 for an RSA bus key; RSA PKCS#1 v1.5 is refused before any
 * private-key operation. A missing recipient and every cryptographic failure give the same
 * {@link ErrorCode#DECRYPTION_FAILED} with one constant message. During a key rotation the previous bus key is
 * tried after the current one, so envelopes sealed for the old certificate still open; whether one was, is not
 * told to the sender. Immutable and thread-safe.
 */
final class EnvelopeDecryptor {

    static final String DECRYPTION_FAILED_MESSAGE = "Envelope could not be decrypted for this bus";

    private static final Set<ASN1ObjectIdentifier> AEAD_CIPHERS = Set.of(
            NISTObjectIdentifiers.id_aes128_GCM, NISTObjectIdentifiers.id_aes192_GCM,
            NISTObjectIdentifiers.id_aes256_GCM);
    private static final Set<ASN1ObjectIdentifier> KEY_AGREEMENTS = Set.of(
            X9ObjectIdentifiers.dhSinglePass_stdDH_sha1kdf_scheme,
            SECObjectIdentifiers.dhSinglePass_stdDH_sha224kdf_scheme,
            SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme,
            SECObjectIdentifiers.dhSinglePass_stdDH_sha384kdf_scheme,
            SECObjectIdentifiers.dhSinglePass_stdDH_sha512kdf_scheme);
    private static final Set<ASN1ObjectIdentifier> OAEP_DIGESTS = Set.of(
            OIWObjectIdentifiers.idSHA1, NISTObjectIdentifiers.id_sha256);

    /** One key the bus can decrypt with: the current one, or a previous one during a rotation window. */
    private static final class BusKey {
        private final X509CertificateHolder certificate;
        private final boolean keyAgreement;
        private final Recipient authEnvelopedRecipient;

        private BusKey(PrivateKey busKey, X509Certificate busCertificate) {
            try {
                this.certificate = new X509CertificateHolder(busCertificate.getEncoded());
            } catch (CertificateEncodingException | java.io.IOException e) {
                throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Unusable bus certificate", e);
            }
            String algorithm = busKey.getAlgorithm();
            if (algorithm.equals("EC") || algorithm.equals("ECDSA") || algorithm.equals("ECDH")) {
                this.keyAgreement = true;
                this.authEnvelopedRecipient = new JceKeyAgreeAuthEnvelopedRecipient(busKey)
                        .setProvider(BouncyCastle.PROVIDER);
            } else if (algorithm.equals("RSA")) {
                this.keyAgreement = false;
                this.authEnvelopedRecipient = new JceKeyTransAuthEnvelopedRecipient(busKey)
                        .setProvider(BouncyCastle.PROVIDER);
            } else {
                throw new ReferralBusException(ErrorCode.INTERNAL_ERROR,
                        "Bus key must be EC or RSA, not " + algorithm);
            }
        }

        boolean matches(RecipientInformation candidate) {
            boolean rightKind = keyAgreement ? candidate instanceof KeyAgreeRecipientInformation
                    : candidate instanceof KeyTransRecipientInformation;
            return rightKind && candidate.getRID().match(certificate);
        }
    }

    private record Match(BusKey key, RecipientInformation recipient) {
    }

    private final List<BusKey> keys;

    EnvelopeDecryptor(PrivateKey busKey, X509Certificate busCertificate) {
        this(List.of(Map.entry(busKey, busCertificate)));
    }

    /** @param keys the current key first, then previous keys still accepted during a rotation window */
    EnvelopeDecryptor(List<Map.Entry<PrivateKey, X509Certificate>> keys) {
        this.keys = keys.stream().map(entry -> new BusKey(entry.getKey(), entry.getValue())).toList();
    }

    /** The plaintext of an AuthEnvelopedData for the bus, authenticated by AES-GCM. */
    byte[] decrypt(ContentInfo outer) {
        ASN1ObjectIdentifier type = outer.getContentType();
        if (CMSObjectIdentifiers.envelopedData.equals(type)) {
            throw new ReferralBusException(ErrorCode.UNSUPPORTED_ENVELOPE,
                    "EnvelopedData (AES-CBC) is refused: send AuthEnvelopedData with AES-GCM (openssl cms -encrypt -aes-256-gcm)");
        }
        if (!CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
            throw new ReferralBusException(ErrorCode.ENVELOPE_MALFORMED, "Outer content type " + type + " is not AuthEnvelopedData");
        }
        RecipientInformationStore recipients;
        ASN1ObjectIdentifier cipher;
        try {
            CMSAuthEnvelopedData data = new CMSAuthEnvelopedData(outer);
            recipients = data.getRecipientInfos();
            cipher = new ASN1ObjectIdentifier(data.getEncryptionAlgOID());
        } catch (Exception e) {
            throw new ReferralBusException(ErrorCode.ENVELOPE_MALFORMED, "Outer " + type + " does not parse", e);
        }
        if (!AEAD_CIPHERS.contains(cipher)) {
            throw new ReferralBusException(ErrorCode.DECRYPTION_FAILED,
                    "Content encryption algorithm " + cipher + " is not accepted");
        }
        Match match = findRecipient(recipients);
        RecipientInformation recipient = match.recipient();
        checkKeyManagement(recipient, match.key().keyAgreement);
        try {
            return recipient.getContent(match.key().authEnvelopedRecipient);
        } catch (Exception e) {
            // No cause attached: the reason (tag, unwrap) must not become an oracle in logs or replies.
            throw new ReferralBusException(ErrorCode.DECRYPTION_FAILED, DECRYPTION_FAILED_MESSAGE);
        }
    }

    private Match findRecipient(RecipientInformationStore recipients) {
        for (BusKey key : keys) {
            for (RecipientInformation candidate : recipients.getRecipients()) {
                if (key.matches(candidate)) {
                    return new Match(key, candidate);
                }
            }
        }
        throw new ReferralBusException(ErrorCode.DECRYPTION_FAILED, DECRYPTION_FAILED_MESSAGE);
    }

    private static void checkKeyManagement(RecipientInformation recipient, boolean keyAgreement) {
        AlgorithmIdentifier algorithm = recipient.getKeyEncryptionAlgorithm();
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (keyAgreement) {
            if (!KEY_AGREEMENTS.contains(oid)) {
                throw refused("Key agreement " + oid + " is not accepted");
            }
            return;
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            throw refused("RSA PKCS#1 v1.5 key transport (" + oid + ") is refused");
        }
        if (!PKCSObjectIdentifiers.id_RSAES_OAEP.equals(oid)) {
            throw refused("Key transport " + oid + " is not accepted");
        }
        RSAESOAEPparams oaep;
        try {
            oaep = algorithm.getParameters() == null ? new RSAESOAEPparams()
                    : RSAESOAEPparams.getInstance(algorithm.getParameters());
        } catch (RuntimeException e) {
            throw new ReferralBusException(ErrorCode.ENVELOPE_MALFORMED, "RSA-OAEP parameters do not parse");
        }
        AlgorithmIdentifier mgf = oaep.getMaskGenAlgorithm();
        ASN1ObjectIdentifier mgfDigest;
        try {
            mgfDigest = AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm();
        } catch (RuntimeException e) {
            throw new ReferralBusException(ErrorCode.ENVELOPE_MALFORMED, "RSA-OAEP MGF parameters do not parse");
        }
        if (!OAEP_DIGESTS.contains(oaep.getHashAlgorithm().getAlgorithm())
                || !PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm()) || !OAEP_DIGESTS.contains(mgfDigest)) {
            throw refused("RSA-OAEP with digest " + oaep.getHashAlgorithm().getAlgorithm() + " / MGF "
                    + mgf.getAlgorithm() + " " + mgfDigest + " is not accepted");
        }
    }

    private static ReferralBusException refused(String message) {
        return new ReferralBusException(ErrorCode.UNSUPPORTED_KEY_TRANSPORT, message);
    }
}

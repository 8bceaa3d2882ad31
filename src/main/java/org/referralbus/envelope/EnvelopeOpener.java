package org.referralbus.envelope;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.Sha256;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.participants.ParticipantIdentity;

/**
 * Opens what an agency sent: decrypts the outer AuthEnvelopedData for the bus, verifies the inner SignedData
 * and the signer's certificate.
 *
 * <p>Implementation note: the order is fixed — size bound, encoding, decryption ({@link EnvelopeDecryptor}),
 * signature ({@link SignedContentVerifier}), then trust ({@link CertificateTrust}) and identity. Nothing of
 * the content is trusted or returned before all four pass. Only AES-GCM AuthEnvelopedData is decrypted, so the
 * signature is checked over authenticated plaintext; unauthenticated AES-CBC EnvelopedData is refused before any
 * decryption ({@link ErrorCode#UNSUPPORTED_ENVELOPE}), which leaves no padding oracle. The envelope hash is over
 * the DER re-encoding of the outer ContentInfo. Keys and trust are fixed at construction; thread-safe.
 */
public final class EnvelopeOpener {

    /** Default bound on the raw body; the HTTP layer enforces its own, usually smaller, limit. */
    public static final int DEFAULT_MAX_ENVELOPE_BYTES = 10 * 1024 * 1024;

    private final EnvelopeDecryptor decryptor;
    private final CertificateTrust trust;
    private final int maxEnvelopeBytes;

    public EnvelopeOpener(PrivateKey busKey, X509Certificate busCertificate, CertificateTrust trust) {
        this(busKey, busCertificate, trust, DEFAULT_MAX_ENVELOPE_BYTES);
    }

    public EnvelopeOpener(PrivateKey busKey, X509Certificate busCertificate, CertificateTrust trust,
                          int maxEnvelopeBytes) {
        this(List.of(Map.entry(busKey, busCertificate)), trust, maxEnvelopeBytes);
    }

    /**
     * @param busKeys the current key and certificate first, then previous ones still accepted while agencies
     *                move to the new certificate (key rotation)
     */
    public EnvelopeOpener(List<Map.Entry<PrivateKey, X509Certificate>> busKeys, CertificateTrust trust,
                          int maxEnvelopeBytes) {
        if (maxEnvelopeBytes <= 0 || busKeys.isEmpty()) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "maxEnvelopeBytes must be positive, one key at least");
        }
        this.decryptor = new EnvelopeDecryptor(busKeys);
        this.trust = trust;
        this.maxEnvelopeBytes = maxEnvelopeBytes;
    }

    /**
     * @param raw the body as received: DER, PEM or S/MIME
     * @throws ReferralBusException ENVELOPE_MALFORMED, UNSUPPORTED_ENVELOPE, DECRYPTION_FAILED, UNSUPPORTED_KEY_TRANSPORT,
     *                              SIGNATURE_INVALID, SIGNER_UNTRUSTED or FORBIDDEN (no participant role)
     */
    public OpenedEnvelope open(byte[] raw) {
        return open(raw, null);
    }

    /**
     * An envelope the bus admitted earlier, opened again: decrypted and its signature verified as now, its signer's
     * certificate judged as of the admission ({@link CertificateTrust#verifyAsOf}), so a certificate that has expired
     * or been revoked since does not strand the referral's needs. A revocation dated before the admission still
     * refuses it.
     */
    public OpenedEnvelope reopen(AdmittedEnvelope admitted) {
        return open(admitted.sealed(), admitted.admittedAt());
    }

    private OpenedEnvelope open(byte[] raw, Instant admittedAt) {
        if (raw == null || raw.length > maxEnvelopeBytes) {
            throw new ReferralBusException(ErrorCode.ENVELOPE_MALFORMED,
                    "Envelope is missing or larger than " + maxEnvelopeBytes + " bytes");
        }
        ContentInfo outer = EnvelopeEncoding.decode(raw);
        String envelopeSha256 = Sha256.hex(der(outer));
        SignedContentVerifier.Verified verified = SignedContentVerifier.verify(decryptor.decrypt(outer));
        ParticipantIdentity identity;
        try {
            if (admittedAt == null) {
                trust.verify(verified.signer(), verified.otherCertificates());
            } else {
                trust.verifyAsOf(verified.signer(), verified.otherCertificates(), admittedAt);
            }
            identity = ParticipantIdentity.of(verified.signer());
        } catch (ReferralBusException refused) {
            throw new RefusedSignerException(verified.signer(), refused);
        }
        return new OpenedEnvelope(verified.content(), verified.signer(), identity, envelopeSha256,
                Sha256.hex(verified.content()));
    }

    private static byte[] der(ContentInfo outer) {
        try {
            return outer.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new ReferralBusException(ErrorCode.ENVELOPE_MALFORMED, "Envelope cannot be DER-encoded", e);
        }
    }
}

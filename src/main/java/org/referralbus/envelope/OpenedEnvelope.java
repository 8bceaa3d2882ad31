package org.referralbus.envelope;

import java.security.cert.X509Certificate;
import org.referralbus.core.ReferralContentSha256;
import org.referralbus.participants.ParticipantIdentity;

/**
 * An envelope the bus decrypted and whose signature and signer it verified.
 *
 * @param content        the signed content (the referral XML bytes), not yet schema-validated
 * @param signer         the signer certificate, already validated against the trust anchors
 * @param signerIdentity who signed, read from {@code signer}
 * @param envelopeSha256 lowercase hex SHA-256 of the DER of the outer ContentInfo: one value whether the
 *                       envelope arrived as DER, PEM or S/MIME
 * @param contentSha256  lowercase hex SHA-256 of {@code content}
 */
public record OpenedEnvelope(byte[] content, X509Certificate signer, ParticipantIdentity signerIdentity,
                             String envelopeSha256, String contentSha256) {

    @Override
    public byte[] content() {
        return content.clone();
    }

    /**
     * {@link ReferralContentSha256} of the content, which tells the same referral with its ids in another case apart
     * from other content: read in place, not copied as {@link #content()} is, and not hashed again when no id changes.
     */
    public String caseBlindContentSha256() {
        return ReferralContentSha256.of(content, contentSha256);
    }

    @Override
    public String toString() {
        return "OpenedEnvelope[signer=" + signerIdentity + ", envelopeSha256=" + envelopeSha256
                + ", contentSha256=" + contentSha256 + "]";
    }
}

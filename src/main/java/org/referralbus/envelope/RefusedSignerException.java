package org.referralbus.envelope;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.participants.ParticipantIdentity;

/**
 * A signer certificate refused after the signature checked out: untrusted ({@link ErrorCode#SIGNER_UNTRUSTED}: expired,
 * revoked, another CA) or naming no participant ({@link ErrorCode#FORBIDDEN}), with the participant it names if it names
 * one readably. The intake then answers someone who submitted another participant's envelope exactly as it answers one
 * whose signer is in good standing: {@code signer_mismatch}, "another participant". Otherwise the answer told the
 * submitter that the signer's certificate had expired or been revoked, its serial number, or that it named no one.
 */
public final class RefusedSignerException extends ReferralBusException {

    private final String named;

    RefusedSignerException(X509Certificate signer, ReferralBusException refused) {
        super(refused.errorCode(), refused.getMessage(), refused.getCause());
        this.named = nameOf(signer);
    }

    /** The participant id the certificate names; empty if it names none readably. */
    public Optional<String> named() {
        return Optional.ofNullable(named);
    }

    private static String nameOf(X509Certificate signer) {
        try {
            return ParticipantIdentity.of(signer).id();
        } catch (ReferralBusException unreadable) {
            return null;
        }
    }
}

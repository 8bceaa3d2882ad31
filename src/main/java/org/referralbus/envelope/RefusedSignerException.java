package org.referralbus.envelope;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.participants.ParticipantIdentity;

/**
 * {@link ErrorCode#SIGNER_UNTRUSTED}, with the participant the refused certificate names (if it names one readably), so
 * that the intake can answer someone who submitted another participant's envelope exactly as it answers one whose
 * signer is in good standing: {@code signer_mismatch}, "another participant". Otherwise the answer told the submitter
 * that the signer's certificate had expired or been revoked, and its serial number.
 */
public final class UntrustedSignerException extends ReferralBusException {

    private final String named;

    UntrustedSignerException(X509Certificate signer, ReferralBusException refused) {
        super(ErrorCode.SIGNER_UNTRUSTED, refused.getMessage(), refused.getCause());
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

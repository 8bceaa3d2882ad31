package org.referralbus.retention;

import org.referralbus.audit.AuditEventType;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.dedupe.StoredReferral;
import org.springframework.stereotype.Component;

/**
 * Erasure on request (a data subject's, through the coordinator): the referral's sealed envelope and every sealed
 * copy are removed at once, open needs or not, and an ERASED row names the coordinator, the referral and the
 * envelope's hash. What stays: the referral and delivery rows (ids, states, hashes), the need states, the audit
 * trail and the statistics' facts, none of which holds readable content. After an erasure the bus can no longer
 * re-route the referral: a later decline or missed deadline ends its re-routing with a warning naming the ids
 * ({@code RerouteFlow}), and its copies not yet fetched leave the providers' inboxes.
 */
@Component
public class Erasure {

    /** @param sealedCopies delivery ids whose sealed copies were removed by this request */
    public record Erased(String sender, String referralId, String envelopeSha256, boolean envelopeRemoved,
                         java.util.List<String> sealedCopies) {
    }

    private final ReferralLedger referrals;
    private final SealedCopyRemoval removal;

    Erasure(ReferralLedger referrals, SealedCopyRemoval removal) {
        this.referrals = referrals;
        this.removal = removal;
    }

    public Erased erase(String coordinator, String sender, String referralId) {
        StoredReferral referral = referrals.find(sender, referralId).orElseThrow(() ->
                new ReferralBusException(ErrorCode.NOT_FOUND, "No referral " + referralId + " from " + sender
                        + ": check the sender's participant id and its referral id"));
        SealedCopyRemoval.Removed removed = removal.remove(sender, referralId, referral.envelopeSha256(), AuditEventType.ERASED,
                coordinator, "erasure-request");
        return new Erased(sender, referralId, referral.envelopeSha256(), removed.envelope(), removed.deliveries());
    }
}

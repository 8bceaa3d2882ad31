package org.referralbus.delivery;

import org.referralbus.routing.RoutingRule;

/**
 * What the sending agency reads of a need's history {@code detail}. The stored detail (audit trail, coordinator,
 * operators) stays whole; the sender is told what happened to its own referral, not what only other senders'
 * referrals or another participant's standing could tell it (outside review, December 2026):
 * <ul>
 *   <li>{@code coordinator-review:<service>} was written only when the person is in a case another agency opened: a
 *       one-shot answer to "does the bus know this person?". It reads {@code coordinator:<service>}, as does
 *       {@code no-capacity:<service>} (every provider full with other referrals), so a need with the coordinator no
 *       longer says which of the two it was.</li>
 *   <li>{@code PROVIDER_SUSPENDED:<provider>} (its certificate revoked or expired) and
 *       {@code WEBHOOK_FAILED:<provider>} read {@code PROVIDER_UNAVAILABLE:<provider>}: the provider is the one the
 *       same history row already names; why it is out is not the sender's business.</li>
 * </ul>
 * The rest (the sender's own consent, {@code no-provider}, declines and their reasons, {@code NO_ACK}) reads as stored.
 */
final class SenderDetails {

    static final String COORDINATOR = "coordinator:";
    static final String PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE:";

    private static final String REVIEW = RoutingRule.Kind.COORDINATOR_REVIEW.code() + ":";
    private static final String NO_CAPACITY = RoutingRule.Kind.NO_CAPACITY.code() + ":";
    private static final String SUSPENDED = "PROVIDER_SUSPENDED:";
    private static final String WEBHOOK_FAILED = "WEBHOOK_FAILED:";

    private SenderDetails() {
    }

    /** The detail as the sender's status shows it; null stays null. */
    static String shown(String stored) {
        if (stored == null) {
            return null;
        }
        if (stored.startsWith(REVIEW)) {
            return COORDINATOR + stored.substring(REVIEW.length());
        }
        if (stored.startsWith(NO_CAPACITY)) {
            return COORDINATOR + stored.substring(NO_CAPACITY.length());
        }
        if (stored.startsWith(SUSPENDED)) {
            return PROVIDER_UNAVAILABLE + stored.substring(SUSPENDED.length());
        }
        if (stored.startsWith(WEBHOOK_FAILED)) {
            return PROVIDER_UNAVAILABLE + stored.substring(WEBHOOK_FAILED.length());
        }
        return stored;
    }
}

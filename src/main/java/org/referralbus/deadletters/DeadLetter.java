package org.referralbus.deadletters;

import java.time.Instant;

/**
 * What an admin sees of a parked message: ids, where it was going, why it is parked and when it was queued. Never
 * its content (the body is a sealed envelope anyway), and only the bus's own id labels of its properties.
 *
 * @param id          the broker's message id without its {@code ID:} prefix
 * @param queue       where it is parked: {@code DLQ} or {@code referrals.intake.rejected}
 * @param origin      the queue a redelivery puts it back on
 * @param reason      {@code delivery-attempts-exhausted}, or {@code rejected:<error code>} for a parked intake envelope
 * @param queuedAt    when it was first sent
 * @param referralId  the referral it belongs to, when the bus labelled it (provider copies)
 * @param deliveryId  the delivery it carries, when the bus labelled it (provider copies)
 * @param bodyBytes   size of the sealed body (shown by {@code show} only, otherwise -1)
 * @param bodySha256  hex SHA-256 of the sealed body (shown by {@code show} only)
 */
public record DeadLetter(String id, String queue, String origin, String reason, Instant queuedAt, String referralId,
                         String deliveryId, long bodyBytes, String bodySha256) {
}

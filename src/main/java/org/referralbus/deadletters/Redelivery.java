package org.referralbus.deadletters;

import java.util.List;

/**
 * What {@code redeliver --all} did, oldest first per parking queue. Refused messages stay parked and the others still
 * go; a failure of the broker stops the run (its message is the last of {@code notRedelivered}, code
 * {@code internal_error}) and the rest stay parked, untried.
 *
 * @param redelivered    moved back to their origins
 * @param notRedelivered refused ({@code redelivery_too_deep}, {@code invalid_request}, …) or failed, still parked
 * @param gone           listed, but no longer parked when their turn came (another admin moved them)
 * @param notTried       left parked after a failure of the broker
 */
public record Redelivery(List<DeadLetter> redelivered, List<NotRedelivered> notRedelivered, int gone, int notTried) {

    /** A message left parked, with the stable code of why and the sentence saying it (none for a failure of the bus). */
    public record NotRedelivered(DeadLetter deadLetter, String code, String detail) {
    }
}

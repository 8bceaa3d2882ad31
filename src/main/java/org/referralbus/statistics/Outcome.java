package org.referralbus.statistics;

/**
 * Where a referral ended, for counting: the strongest outcome any of its needs reached. An acceptance outranks an
 * escalation (the person got help), an escalation outranks a decline (the coordinator took over), a decline outranks
 * nothing yet.
 */
public enum Outcome {
    PENDING, DECLINED, ESCALATED, ACCEPTED;

    boolean outranks(Outcome other) {
        return ordinal() > other.ordinal();
    }
}

package org.referralbus.intake;

import org.referralbus.dedupe.Receipt;

/** Endpoints of the referral flow defined in {@code routes/referral-flow.camel.yaml}. */
public final class ReferralFlow {

    /** The shared pipeline: open, validate, dedupe, route, deliver, receipt. In: envelope bytes; out: {@link Receipt}. */
    public static final String PROCESS_REFERRAL = "direct:process-referral";

    private ReferralFlow() {
    }
}

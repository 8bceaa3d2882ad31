package org.referralbus.validation;

import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Body;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.ReplayWindow;
import org.referralbus.envelope.OpenedEnvelope;
import org.springframework.stereotype.Component;

/**
 * Flow step: validate and bind the opened XML, check that the declared sender is the signer, and that
 * {@code createdAt} lies inside the replay window (a captured envelope cannot be replayed months later).
 * {@link #revalidate} is the same step for re-routing an envelope admitted earlier.
 */
@Component
public class ReferralValidation {

    private final ReferralReader reader;
    private final ReplayWindow replayWindow;
    private final Clock clock;

    public ReferralValidation(ReferralReader reader, ReplayWindow replayWindow, Clock clock) {
        this.reader = reader;
        this.replayWindow = replayWindow;
        this.clock = clock;
    }

    /** A new submission: also inside the replay window (audited as validated by the next step, {@code audit-intake}). */
    public Referral validate(@Body OpenedEnvelope opened) {
        Referral referral = revalidate(opened);
        if (!replayWindow.admits(referral.createdAt(), clock.instant())) {
            throw new ReferralBusException(ErrorCode.STALE_REFERRAL, "Referral " + referral.referralId() + " has a createdAt"
                    + " more than " + human(replayWindow.past()) + " old or more than " + human(replayWindow.future())
                    + " ahead of the bus's clock: set createdAt to the time the referral is written (UTC), and check this"
                    + " computer's clock");
        }
        return referral;
    }

    /** "30 days", "5 minutes", "2 hours": the window as a clerk reads it. */
    static String human(Duration window) {
        if (window.toDays() > 0 && window.equals(Duration.ofDays(window.toDays()))) {
            return window.toDays() + (window.toDays() == 1 ? " day" : " days");
        }
        if (window.toHours() > 0 && window.equals(Duration.ofHours(window.toHours()))) {
            return window.toHours() + (window.toHours() == 1 ? " hour" : " hours");
        }
        long minutes = Math.max(1, window.toMinutes());
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }

    /**
     * A referral the bus admitted earlier, read again to re-route it: schema and sender are checked as at intake;
     * the replay window is not (a decline may come weeks later) and nothing is audited (not a new receipt).
     */
    public Referral revalidate(@Body OpenedEnvelope opened) {
        Referral referral = reader.read(opened.content());
        String signer = opened.signerIdentity().id();
        if (!referral.sender().equals(signer)) {
            throw new ReferralBusException(ErrorCode.SIGNER_MISMATCH,
                    "Referral " + referral.referralId() + " declares sender " + referral.sender() + " but is signed by " + signer);
        }
        return referral;
    }
}

package org.referralbus.validation;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import javax.xml.datatype.XMLGregorianCalendar;
import org.apache.camel.Body;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.ReplayWindow;
import org.referralbus.envelope.OpenedEnvelope;
import org.springframework.stereotype.Component;

/**
 * Flow step: validate and bind the opened XML, check that the declared sender is the signer, and that
 * {@code createdAt} lies inside the replay window (a captured envelope cannot be replayed months later), and that
 * the person was not born after it.
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
                    + " computer's clock").about(referral.referralId());
        }
        if (bornAfterWriting(referral)) {
            throw new SchemaViolationException(List.of(new Violation(0, 0, "person/birthDate is after header/createdAt: "
                    + "a person cannot be born after the referral is written; check the year, and day and month")))
                    .about(referral.referralId());
        }
        return referral;
    }

    /**
     * A birth date after the referral was written is a typo (a year, day and month swapped), not a person: admitted, it
     * made an adult a minor (a negative age) and sent the record to child protection. Checked at intake only; a
     * referral admitted before this check is still re-routed.
     */
    static boolean bornAfterWriting(Referral referral) {
        XMLGregorianCalendar birth = referral.document().getPerson().getBirthDate();
        return birth != null && LocalDate.of(birth.getYear(), birth.getMonth(), birth.getDay())
                .isAfter(referral.createdAt().toLocalDate());
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

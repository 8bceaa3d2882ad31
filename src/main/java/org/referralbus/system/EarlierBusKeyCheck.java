package org.referralbus.system;

import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.referralbus.dedupe.ReferralLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * After a bus key rotation, the referrals kept from before it are sealed for the earlier key, which re-routing a
 * declined or overdue need must open. With {@code referral-bus.identity.previous} removed too early such needs stayed
 * due with DECRYPTION_FAILED (an outside walkthrough): say so once at start, before a provider declines one.
 */
@Component
class EarlierBusKeyCheck {

    private static final Logger log = LoggerFactory.getLogger(EarlierBusKeyCheck.class);

    private final X509Certificate busCertificate;
    private final BusIdentityProperties identity;
    private final ReferralLedger referrals;

    EarlierBusKeyCheck(@Qualifier("busCertificate") X509Certificate busCertificate, BusIdentityProperties identity,
                       ReferralLedger referrals) {
        this.busCertificate = busCertificate;
        this.identity = identity;
        this.referrals = referrals;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnIfAnEarlierKeyIsStillNeeded() {
        long sealedForEarlier = sealedForAnEarlierKey();
        if (sealedForEarlier > 0) {
            log.warn("{} referrals whose sealed envelopes the bus keeps arrived before its certificate was issued ({}): they are"
                    + " sealed for an earlier bus key, which re-routing a declined or overdue need must open. Configure it as"
                    + " referral-bus.identity.previous until they are closed and past retention (security.md, 'Bus key rotation')",
                    sealedForEarlier, busCertificate.getNotBefore().toInstant());
        }
    }

    long sealedForAnEarlierKey() {
        if (identity.previous() != null) {
            return 0;
        }
        return referrals.keptReceivedBefore(OffsetDateTime.ofInstant(busCertificate.getNotBefore().toInstant(), ZoneOffset.UTC));
    }
}

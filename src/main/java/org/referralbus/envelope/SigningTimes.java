package org.referralbus.envelope;

import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;

/**
 * The signing-time attribute of a signature, made once a second. Left to itself Bouncy Castle makes it for every
 * signature from a {@link Date}, formatting it with a new {@code SimpleDateFormat} and parsing it back with another
 * (1.4 % of a busy bus's samples: four signatures per referral). The attribute holds whole seconds (UTCTime), so one
 * made in a second is the one every signature of that second would get. Thread-safe: attributes are immutable.
 */
final class SigningTimes {

    private record Made(long second, AttributeTable attributes) {
    }

    private volatile Made last = new Made(Long.MIN_VALUE, null);

    /** A table holding only the signing time, now, for the signature's other standard attributes to be added to. */
    AttributeTable now() {
        long second = Instant.now().getEpochSecond();
        Made made = last;
        if (made.second() != second) {
            made = new Made(second, new AttributeTable(new Attribute(CMSAttributes.signingTime,
                    new DERSet(new Time(Date.from(Instant.ofEpochSecond(second)))))));
            last = made;
        }
        return made.attributes();
    }
}

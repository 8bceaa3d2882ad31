package org.referralbus.dedupe;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long the bus remembers what it has seen, and the secret that keys person matching.
 *
 * @param envelopeWindow  how long an envelope hash is remembered by the idempotent consumer; after it, a resubmitted
 *                        envelope is still caught by the referral ledger (same sender and referralId, kept for good)
 * @param personWindow    how long a person key is remembered after the person was last referred; a referral of the
 *                        same person after it opens a new case. Longer windows link more, and keep more keys
 * @param purgeInterval   how often expired envelope hashes and person keys are deleted (the audit trail never is)
 * @param processingLease how long one bus instance may take to finish a referral before another instance that got the
 *                        same submission takes over; shorter risks two instances working on one referral
 * @param personKeySecret the HMAC secret for person keys: {@code base64:<at least 32 bytes>} (e.g. from the
 *                        environment variable {@code REFERRAL_BUS_DEDUPE_PERSON_KEY_SECRET}) or the path of a file
 *                        holding the bytes. Whoever has it can test a guessed name against stored keys: protect it
 *                        like a private key. The {@code prod} profile refuses the sample secret
 * @param personKeyPreviousSecret during a rotation only: the secret before it, same format. New referrals are also
 *                        compared with encodings made under it; every new encoding is made under the current secret.
 *                        Remove it once no encoding of its key is left (one person window after the rotation)
 */
@Validated
@ConfigurationProperties("referral-bus.dedupe")
public record DedupeProperties(@DefaultValue("30d") @NotNull Duration envelopeWindow,
                               @DefaultValue("180d") @NotNull Duration personWindow,
                               @DefaultValue("1h") @NotNull Duration purgeInterval,
                               @DefaultValue("30s") @NotNull Duration processingLease,
                               @NotBlank String personKeySecret,
                               String personKeyPreviousSecret) {

    /** Without a previous secret (no rotation under way). */
    public DedupeProperties(Duration envelopeWindow, Duration personWindow, Duration purgeInterval,
                            Duration processingLease, String personKeySecret) {
        this(envelopeWindow, personWindow, purgeInterval, processingLease, personKeySecret, null);
    }

    @ConstructorBinding
    public DedupeProperties {
        requirePositive("envelope-window", envelopeWindow);
        requirePositive("person-window", personWindow);
        requirePositive("purge-interval", purgeInterval);
        requirePositive("processing-lease", processingLease);
    }

    private static void requirePositive(String name, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException("referral-bus.dedupe." + name + " must be positive, was " + value);
        }
    }
}

package org.referralbus.delivery;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param ackTimeout          how long a provider has to accept or decline before the need is escalated to the coordinator
 * @param ackTimeoutImmediate the same for IMMEDIATE referrals: a person in danger cannot wait two days
 * @param escalationCheck     how often the bus looks for missed deadlines and for re-routings a failure left due
 * @param rerouteGrace        how long a re-routing may be due before the sweep takes it over: longer than a re-routing
 *                            takes, so the sweep does not run one the answer itself is still running
 * @param handOverGrace       how long a receipted copy may stay stored and not handed over before that check hands it
 *                            over ({@link UnsentCopies}): longer than a referral's flow takes from its receipt to its
 *                            copies' hand-overs
 * @param webhook             push delivery to providers' HTTPS endpoints
 */
@Validated
@ConfigurationProperties("referral-bus.delivery")
public record DeliveryProperties(@DefaultValue("48h") @NotNull Duration ackTimeout,
                                 @DefaultValue("4h") @NotNull Duration ackTimeoutImmediate,
                                 @DefaultValue("1m") @NotNull Duration escalationCheck,
                                 @DefaultValue("1m") @NotNull Duration rerouteGrace,
                                 @DefaultValue("1m") @NotNull Duration handOverGrace,
                                 @DefaultValue @NotNull Webhook webhook) {

    /**
     * @param maxAttempts     attempts (first try included) before the copy is dead-lettered and the coordinator takes the need
     * @param initialDelay    wait before the second attempt; doubles after each failure
     * @param maxDelay        the longest wait between attempts
     * @param requestTimeout  timeout of one push (connect and answer), so a hung provider cannot hold a thread
     */
    public record Webhook(@DefaultValue("6") @Min(1) int maxAttempts,
                          @DefaultValue("2s") @NotNull Duration initialDelay,
                          @DefaultValue("10m") @NotNull Duration maxDelay,
                          @DefaultValue("15s") @NotNull Duration requestTimeout) {
    }
}

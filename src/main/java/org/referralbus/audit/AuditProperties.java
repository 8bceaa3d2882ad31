package org.referralbus.audit;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param checkpointInterval how often the bus signs the head of the trail; a rewrite of the trail older than the
 *                           last checkpoint is detectable by anyone with the bus certificate, so shorter is safer
 * @param stuckAfter         the console lists a referral as stuck when its last step is older than this and it has
 *                           not reached an outcome (acknowledged, declined, rejected, duplicate)
 */
@Validated
@ConfigurationProperties("referral-bus.audit")
public record AuditProperties(@DefaultValue("10m") @NotNull Duration checkpointInterval,
                              @DefaultValue("24h") @NotNull Duration stuckAfter) {
}

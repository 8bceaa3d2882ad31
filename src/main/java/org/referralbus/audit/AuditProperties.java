package org.referralbus.audit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
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
 * @param refusalWindow      refusals a caller can repeat at will (429s, refused certificates, failed console sign-ins)
 *                           are written as one row per actor and reason per window, with the count: longer means
 *                           fewer rows, shorter means the trail shows them sooner
 * @param signIn             throttling of the auditor console's sign-in
 */
@Validated
@ConfigurationProperties("referral-bus.audit")
public record AuditProperties(@DefaultValue("10m") @NotNull Duration checkpointInterval,
                              @DefaultValue("24h") @NotNull Duration stuckAfter,
                              @DefaultValue("1m") @NotNull Duration refusalWindow,
                              @DefaultValue @Valid @NotNull SignInLimits signIn) {

    /**
     * Failed console sign-ins are counted per account name and per client address. After the free ones, each
     * failure doubles a wait (1 s, 2 s, 4 s, …) during which attempts are refused without checking the password;
     * at the lock threshold the account or address is locked for {@code lockFor}. Failures older than
     * {@code lockFor} are forgotten; a successful sign-in clears both counters.
     *
     * @param accountFreeFailures failures per account name before waits begin
     * @param accountLockAfter    failures per account name that lock it; whoever knows an account's name can lock it
     *                            out, so the lock ends by itself after {@code lockFor}
     * @param addressFreeFailures failures per client address before waits begin
     * @param addressLockAfter    failures per client address that lock it
     * @param lockFor             how long a lock lasts, and how long a failure is remembered
     * @param passwordChecks      password (bcrypt) checks running at once; an attempt waits at most a second for a
     *                            turn, then is refused: sign-in can never take every core from the referral flow
     */
    public record SignInLimits(@DefaultValue("3") @Min(0) int accountFreeFailures,
                               @DefaultValue("10") @Min(1) int accountLockAfter,
                               @DefaultValue("10") @Min(0) int addressFreeFailures,
                               @DefaultValue("30") @Min(1) int addressLockAfter,
                               @DefaultValue("15m") @NotNull Duration lockFor,
                               @DefaultValue("1") @Min(1) int passwordChecks) {
    }
}

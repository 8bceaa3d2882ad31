package org.referralbus.audit;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Console sign-in: password and TOTP code must both match an auditor account. One message for every failure,
 * so the form does not tell which factor was wrong or whether the account exists.
 *
 * <p>In this order: the throttle ({@link SignInThrottle}), which refuses a name or address that must wait before
 * anything costly; then the account's factors ({@link AuditorAccounts}, with bcrypt rationed). Every failure is
 * counted into the trail, one row per account and address per window ({@link RefusalTally}): the account name when
 * it is an account, {@value #UNKNOWN_ACCOUNT} otherwise (whatever was typed is never written), the address as
 * counterpart, and the reason as detail: {@code console_sign_in_failed}, {@code console_sign_in_throttled}
 * (refused unchecked) or {@code console_sign_in_locked} (this failure locked the name or address).
 */
class ConsoleSignIn implements AuthenticationProvider {

    static final String UNKNOWN_ACCOUNT = "unknown-account";
    private static final Logger log = LoggerFactory.getLogger(ConsoleSignIn.class);

    /** The details the sign-in form carries besides name and password. */
    record SignInAttempt(String code, String address) {
        @Override
        public String toString() {
            return "SignInAttempt[address=" + address + "]";
        }
    }

    /** A sign-in refused without checking its factors: the name or the address must wait, or no turn was free. */
    static final class SignInThrottledException extends BadCredentialsException {
        SignInThrottledException() {
            super("Sign-in refused: too many failures, wait");
        }
    }

    private final AuditorAccounts accounts;
    private final SignInThrottle throttle;
    private final RefusalTally refusals;

    ConsoleSignIn(AuditorAccounts accounts, SignInThrottle throttle, RefusalTally refusals) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.refusals = refusals;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        String password = authentication.getCredentials() == null ? null : authentication.getCredentials().toString();
        SignInAttempt attempt = authentication.getDetails() instanceof SignInAttempt details ? details
                : new SignInAttempt(null, "unknown");
        Duration wait = throttle.waitFor(username, attempt.address());
        if (!wait.isZero()) {
            refused(accounts.exists(username) ? username : UNKNOWN_ACCOUNT, attempt, "console_sign_in_throttled");
            throw new SignInThrottledException();
        }
        AuditorAccounts.Outcome outcome = accounts.authenticate(username, password, attempt.code());
        switch (outcome) {
            case SIGNED_IN -> {
                throttle.succeeded(username, attempt.address());
                return UsernamePasswordAuthenticationToken.authenticated(username, null,
                        List.of(new SimpleGrantedAuthority("ROLE_AUDITOR")));
            }
            case BUSY -> {
                refused(accounts.exists(username) ? username : UNKNOWN_ACCOUNT, attempt, "console_sign_in_throttled");
                throw new SignInThrottledException();
            }
            default -> {
                String actor = outcome == AuditorAccounts.Outcome.REFUSED ? username : UNKNOWN_ACCOUNT;
                refused(actor, attempt, "console_sign_in_failed");
                if (throttle.failed(username, attempt.address())) {
                    refused(actor, attempt, "console_sign_in_locked");
                }
                throw new BadCredentialsException("Sign-in failed");
            }
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private void refused(String actor, SignInAttempt attempt, String reason) {
        if (refusals.count(AuditEvent.of(AuditEventType.REJECTED, null, actor).withCounterpart("address:" + attempt.address())
                .withDetail(reason))) {
            log.info("Console sign-in refused: reason={} account={} address={}", reason, actor, attempt.address());
        }
    }
}

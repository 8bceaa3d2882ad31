package org.referralbus.audit;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Console accounts of auditors: a password (bcrypt, via Spring Security's delegating encoder) and a TOTP secret.
 * An admin creates them with {@code referral-bus.jar auditor create <name>}; creation is audited as
 * CONFIGURATION_CHANGED. Sign-in needs both factors, and each TOTP step works once.
 */
public class AuditorAccounts {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    private static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    /** Checked against when the account does not exist, so a wrong name costs as much time as a wrong password. */
    private static final String UNKNOWN_ACCOUNT = PASSWORDS.encode("unknown-account-placeholder");

    /** What the admin hands to the auditor, once: it is not stored in readable form except the TOTP secret. */
    public record Created(String username, String totpSecret, String otpauthUri) {
    }

    private final JdbcTemplate jdbc;
    private final AuditTrail trail;
    private final Clock clock;

    public AuditorAccounts(JdbcTemplate jdbc, AuditTrail trail, Clock clock) {
        this.jdbc = jdbc;
        this.trail = trail;
        this.clock = clock;
    }

    public Created create(String username, String password, String admin) {
        if (!NAME.matcher(username).matches()) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Auditor names are 2-64 of [a-z0-9._-]");
        }
        if (password.length() < 12) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Auditor passwords have at least 12 characters");
        }
        String secret = Totp.newSecret();
        try {
            jdbc.update("INSERT INTO auditor_account (username, password_hash, totp_secret, last_totp_step, created_at) "
                    + "VALUES (?, ?, ?, 0, ?)", username, PASSWORDS.encode(password), secret, OffsetDateTime.now(clock));
        } catch (DuplicateKeyException e) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Auditor " + username + " already exists");
        }
        trail.record(AuditEvent.of(AuditEventType.CONFIGURATION_CHANGED, null, admin).withCounterpart(username)
                .withDetail("auditor-account-created"));
        return new Created(username, secret, "otpauth://totp/Referral%20Bus:" + username + "?secret=" + secret
                + "&issuer=Referral%20Bus&algorithm=SHA1&digits=6&period=" + Totp.STEP_SECONDS);
    }

    /** True when both factors match and the TOTP step was not used before (then it is marked used). */
    boolean authenticate(String username, String password, String code) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT password_hash, totp_secret, last_totp_step FROM auditor_account WHERE username = ?", username);
        if (rows.isEmpty() || password == null || code == null) {
            PASSWORDS.matches(String.valueOf(password), UNKNOWN_ACCOUNT);
            return false;
        }
        Map<String, Object> row = rows.get(0);
        boolean passwordOk = PASSWORDS.matches(password, (String) row.get("PASSWORD_HASH"));
        long now = Totp.step(clock.instant().getEpochSecond());
        long lastUsed = ((Number) row.get("LAST_TOTP_STEP")).longValue();
        for (long step = now - 1; step <= now + 1; step++) {
            if (passwordOk && step > lastUsed && Totp.code((String) row.get("TOTP_SECRET"), step).equals(code.trim())) {
                // Compare-and-set: two sign-ins racing with the same code cannot both win.
                return jdbc.update("UPDATE auditor_account SET last_totp_step = ? WHERE username = ? AND last_totp_step = ?",
                        step, username, lastUsed) == 1;
            }
        }
        return false;
    }
}

package org.referralbus.audit;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Console accounts of auditors: a password (bcrypt, via Spring Security's delegating encoder) and a TOTP secret.
 * An admin creates them with {@code referral-bus.jar auditor create <name>}, and gives new factors with
 * {@code auditor reset <name>}; both are audited as CONFIGURATION_CHANGED. Sign-in needs both factors, and each TOTP
 * step works once. TOTP secrets are stored encrypted ({@link TotpSecrets}) under a key that is not in the database.
 *
 * <p>Implementation note: bcrypt is deliberately slow, so it is rationed: at most {@code passwordChecks} run at once
 * (an attempt waits up to {@value #TURN_WAIT_MILLIS} ms for a turn, then is refused as {@link Outcome#BUSY}), and a
 * name that is no account is answered without bcrypt, after parking the thread about as long as a real check takes
 * (a running average), so the answer time does not tell which names exist and costs no CPU. The average starts from
 * the first real check, or, when a name that is no account comes first, from one bcrypt of a dummy password run then
 * in place of the parking ({@link Calibration}): not at start-up, where it would delay readiness for every start.
 */
public class AuditorAccounts {

    /** What a sign-in attempt came to. */
    enum Outcome {
        SIGNED_IN,
        /** An existing account, but a factor was wrong or missing, or the code was used before. */
        REFUSED,
        /** No account of that name (answered without bcrypt). */
        UNKNOWN_ACCOUNT,
        /** No turn to check a password within the wait: nothing was checked. */
        BUSY
    }

    static final long TURN_WAIT_MILLIS = 1_000;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    private static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    /** What one bcrypt takes here, measured when first needed (class initialisation runs it once, other threads wait). */
    private static final class Calibration {
        static final long NANOS;

        static {
            long started = System.nanoTime();
            PASSWORDS.encode("calibration of the password check");
            NANOS = System.nanoTime() - started;
        }
    }

    /** What the admin hands to the auditor, once: it is not stored in readable form except the TOTP secret. */
    public record Created(String username, String totpSecret, String otpauthUri) {
    }

    private final JdbcTemplate jdbc;
    private final AuditTrail trail;
    private final Clock clock;
    private final TotpSecrets secrets;
    private final Semaphore turns;
    private final AtomicLong passwordChecks = new AtomicLong();
    /** The running average of a check; 0 until the first check or calibration. */
    private volatile long typicalCheckNanos;

    /** For the command line, which only creates accounts. */
    public AuditorAccounts(JdbcTemplate jdbc, AuditTrail trail, Clock clock, TotpSecrets secrets) {
        this(jdbc, trail, clock, 1, secrets);
    }

    /**
     * @param passwordChecks bcrypt checks allowed to run at once
     * @param secrets        encrypts TOTP secrets at rest; secrets stored before encryption are encrypted here, once
     */
    public AuditorAccounts(JdbcTemplate jdbc, AuditTrail trail, Clock clock, int passwordChecks, TotpSecrets secrets) {
        this.jdbc = jdbc;
        this.trail = trail;
        this.clock = clock;
        this.secrets = secrets;
        this.turns = new Semaphore(passwordChecks, true);
        encryptPlaintextSecrets();
    }

    /** Encrypts the TOTP secrets stored in readable form by earlier versions; returns how many. */
    int encryptPlaintextSecrets() {
        int encrypted = 0;
        for (Map<String, Object> row : jdbc.queryForList("SELECT username, totp_secret FROM auditor_account")) {
            String username = (String) row.get("USERNAME");
            String stored = (String) row.get("TOTP_SECRET");
            if (!TotpSecrets.sealed(stored)) {
                // Compare-and-set on the old value: two instances starting together encrypt each secret once.
                encrypted += jdbc.update("UPDATE auditor_account SET totp_secret = ? WHERE username = ? AND totp_secret = ?",
                        secrets.seal(username, stored.trim()), username, stored);
            }
        }
        return encrypted;
    }

    public Created create(String username, String password, String admin) {
        if (!NAME.matcher(username).matches()) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Auditor names are 2-64 of [a-z0-9._-]");
        }
        requireStrong(password);
        String secret = Totp.newSecret();
        try {
            jdbc.update("INSERT INTO auditor_account (username, password_hash, totp_secret, last_totp_step, created_at) "
                    + "VALUES (?, ?, ?, 0, ?)", username, PASSWORDS.encode(password), secrets.seal(username, secret),
                    OffsetDateTime.now(clock));
        } catch (DuplicateKeyException e) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Auditor " + username + " already exists");
        }
        trail.record(AuditEvent.of(AuditEventType.CONFIGURATION_CHANGED, null, admin).withCounterpart(username)
                .withDetail("auditor-account-created"));
        return created(username, secret);
    }

    /**
     * A new password and a new TOTP secret for an existing account, for an auditor who lost either: the old ones stop
     * working at once. Audited as CONFIGURATION_CHANGED ({@code auditor-account-reset}).
     */
    public Created reset(String username, String password, String admin) {
        requireStrong(password);
        String secret = Totp.newSecret();
        int updated = jdbc.update("UPDATE auditor_account SET password_hash = ?, totp_secret = ?, last_totp_step = 0 "
                + "WHERE username = ?", PASSWORDS.encode(password), secrets.seal(username, secret), username);
        if (updated == 0) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "There is no auditor " + username
                    + ": check the name, or create the account with 'auditor create " + username + "'");
        }
        trail.record(AuditEvent.of(AuditEventType.CONFIGURATION_CHANGED, null, admin).withCounterpart(username)
                .withDetail("auditor-account-reset"));
        return created(username, secret);
    }

    private static void requireStrong(String password) {
        if (password.length() < 12) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Auditor passwords have at least 12 characters");
        }
    }

    private static Created created(String username, String secret) {
        return new Created(username, secret, "otpauth://totp/Referral%20Bus:" + username + "?secret=" + secret
                + "&issuer=Referral%20Bus&algorithm=SHA1&digits=6&period=" + Totp.STEP_SECONDS);
    }

    /** Whether an account of exactly this name exists (one indexed query, no password work). */
    boolean exists(String username) {
        return username != null && jdbc.queryForObject("SELECT COUNT(*) FROM auditor_account WHERE username = ?",
                Integer.class, username) > 0;
    }

    /** Signed in when both factors match and the TOTP step was not used before (then it is marked used). */
    Outcome authenticate(String username, String password, String code) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT password_hash, totp_secret, last_totp_step FROM auditor_account WHERE username = ?", username);
        if (rows.isEmpty() || password == null || code == null) {
            long typical = typicalCheckNanos;
            if (typical == 0) {
                typicalCheckNanos = Calibration.NANOS; // computing it took as long as a check: no parking on top
            } else {
                LockSupport.parkNanos(typical);
            }
            return rows.isEmpty() ? Outcome.UNKNOWN_ACCOUNT : Outcome.REFUSED;
        }
        Map<String, Object> row = rows.get(0);
        Boolean passwordOk = checkPassword(password, (String) row.get("PASSWORD_HASH"));
        if (passwordOk == null) {
            return Outcome.BUSY;
        }
        if (!passwordOk) {
            return Outcome.REFUSED;
        }
        String secret;
        try {
            secret = secrets.open(username, (String) row.get("TOTP_SECRET"));
        } catch (ReferralBusException wrongKeyOrAltered) {
            return Outcome.REFUSED;
        }
        long now = Totp.step(clock.instant().getEpochSecond());
        long lastUsed = ((Number) row.get("LAST_TOTP_STEP")).longValue();
        for (long step = now - 1; step <= now + 1; step++) {
            if (step > lastUsed && Totp.code(secret, step).equals(code.trim())) {
                // Compare-and-set: two sign-ins racing with the same code cannot both win.
                return jdbc.update("UPDATE auditor_account SET last_totp_step = ? WHERE username = ? AND last_totp_step = ?",
                        step, username, lastUsed) == 1 ? Outcome.SIGNED_IN : Outcome.REFUSED;
            }
        }
        return Outcome.REFUSED;
    }

    /** Password checks (bcrypt) run since start; for tests and monitoring. */
    long passwordChecks() {
        return passwordChecks.get();
    }

    /** bcrypt within a turn; null when no turn came within the wait. */
    private Boolean checkPassword(String password, String hash) {
        try {
            if (!turns.tryAcquire(TURN_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            passwordChecks.incrementAndGet();
            long started = System.nanoTime();
            boolean matches = PASSWORDS.matches(password, hash);
            long took = System.nanoTime() - started;
            long typical = typicalCheckNanos;
            typicalCheckNanos = typical == 0 ? took : (typical * 7 + took) / 8;
            return matches;
        } finally {
            turns.release();
        }
    }
}

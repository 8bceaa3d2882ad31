package org.referralbus.audit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.referralbus.core.Sha256;

/**
 * Back-off and lock-out for the console's sign-in, per account name and per client address
 * ({@link AuditProperties.SignInLimits}). Asked before anything costly: a name or an address that must wait is
 * refused without a database query or a password hash.
 *
 * <p>Implementation note: in this node's memory (like the rate limit, a per-node limit), one entry per account name
 * and per address with failures in the last {@code lockFor}. Names are kept as SHA-256 of their lower-case form, so
 * whatever someone types into the name field is never held as typed, and unknown names are throttled exactly like
 * real ones (the throttle is no oracle for which accounts exist). Entries are updated with {@code compute}, so
 * concurrent failures are all counted; stale entries are dropped when the map grows past {@value #PRUNE_AT}.
 */
final class SignInThrottle {

    static final int PRUNE_AT = 10_000;

    /** Consecutive failures of one name or address, and until when it must wait. */
    private record Failures(int count, Instant last, Instant blockedUntil) {
    }

    private final AuditProperties.SignInLimits limits;
    private final Clock clock;
    private final Map<String, Failures> accounts = new ConcurrentHashMap<>();
    private final Map<String, Failures> addresses = new ConcurrentHashMap<>();

    SignInThrottle(AuditProperties.SignInLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** How long this name from this address must still wait; zero when it may try now. */
    Duration waitFor(String account, String address) {
        Instant now = clock.instant();
        Duration accountWait = remaining(accounts.get(key(account)), now);
        Duration addressWait = remaining(addresses.get(address), now);
        return accountWait.compareTo(addressWait) >= 0 ? accountWait : addressWait;
    }

    /** Counts a failed sign-in; true if it locked the name or the address. */
    boolean failed(String account, String address) {
        Instant now = clock.instant();
        prune(now);
        Failures byAccount = accounts.compute(key(account), (k, before) -> next(before, now,
                limits.accountFreeFailures(), limits.accountLockAfter()));
        Failures byAddress = addresses.compute(address, (k, before) -> next(before, now,
                limits.addressFreeFailures(), limits.addressLockAfter()));
        return byAccount.count() == limits.accountLockAfter() || byAddress.count() == limits.addressLockAfter();
    }

    /** A successful sign-in clears the name's and the address's failures. */
    void succeeded(String account, String address) {
        accounts.remove(key(account));
        addresses.remove(address);
    }

    /** Forgets every failure (for tests that must not leave their address throttled for the next test). */
    void forget() {
        accounts.clear();
        addresses.clear();
    }

    private Failures next(Failures before, Instant now, int free, int lockAfter) {
        int count = before == null || before.last().plus(limits.lockFor()).isBefore(now) ? 1 : before.count() + 1;
        Instant blockedUntil;
        if (count >= lockAfter) {
            blockedUntil = now.plus(limits.lockFor());
        } else if (count > free) {
            Duration wait = Duration.ofSeconds(1L << Math.min(20, count - free - 1));
            blockedUntil = now.plus(wait.compareTo(limits.lockFor()) < 0 ? wait : limits.lockFor());
        } else {
            blockedUntil = now;
        }
        return new Failures(count, now, blockedUntil);
    }

    private static Duration remaining(Failures failures, Instant now) {
        return failures == null || !failures.blockedUntil().isAfter(now) ? Duration.ZERO
                : Duration.between(now, failures.blockedUntil());
    }

    private void prune(Instant now) {
        for (Map<String, Failures> map : List.of(accounts, addresses)) {
            if (map.size() > PRUNE_AT) {
                map.values().removeIf(f -> f.last().plus(limits.lockFor()).isBefore(now) && !f.blockedUntil().isAfter(now));
            }
        }
    }

    private static String key(String account) {
        return Sha256.hex(String.valueOf(account).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }
}

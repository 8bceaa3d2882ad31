package org.referralbus.system;

import java.util.function.BooleanSupplier;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The idempotent consumer's repository, whose writes wait for the database's next write instead of one of their own.
 * The consumer adds an envelope's key when the flow has ended, after the receipt's force: on H2 that commit was a
 * store of its own on every request's thread before its answer (about one chunk of about 220 KB per referral,
 * performance.md, "What limits it next", "What H2 writes"); on PostgreSQL a WAL flush. The key protects nothing the
 * receipt promises: if a crash takes it back, a resent envelope is found by its referral instead
 * ({@code ReferralDeduplication}), which the receipt's force did keep.
 */
final class UnwrittenIdempotentKeys extends ServiceSupport implements IdempotentRepository {

    private final IdempotentRepository keys;

    UnwrittenIdempotentKeys(IdempotentRepository keys) {
        this.keys = keys;
    }

    @Override
    public boolean add(String key) {
        return unwritten(() -> keys.add(key));
    }

    @Override
    public boolean contains(String key) {
        return keys.contains(key);
    }

    @Override
    public boolean remove(String key) {
        return unwritten(() -> keys.remove(key));
    }

    @Override
    public boolean confirm(String key) {
        return unwritten(() -> keys.confirm(key));
    }

    @Override
    public void clear() {
        keys.clear();
    }

    @Override
    protected void doStart() {
        ServiceHelper.startService(keys);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(keys);
    }

    /** Commits as the referral flow's do ({@link CommitDeferral}), without the flow's write and force after them. */
    private static boolean unwritten(BooleanSupplier write) {
        boolean ours = !CommitDeferral.active();
        if (ours) {
            CommitDeferral.begin();
        }
        try {
            return write.getAsBoolean();
        } finally {
            if (ours) {
                CommitDeferral.end();
            }
        }
    }
}

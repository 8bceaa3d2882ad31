package org.referralbus.system;

import java.util.Locale;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Flow steps around the database's durability. {@link #deferCommits} (the referral flow's first step) lets the flow's
 * commits stay in memory; {@link #force} (the step before a receipt leaves the bus) writes everything they changed
 * (the referral, its needs, its deliveries, its audit events) and forces it to the disk, so that neither a killed
 * process nor a power cut takes back what the receipt promises. Start-up refuses a database on which the bus cannot
 * keep that promise (see docs/operators.md, "Durability: what a receipt promises").
 *
 * <p>Implementation note. H2 (the embedded default) runs with a {@code WRITE_DELAY}: a commit stays in the MVStore's
 * memory until a store writes a chunk, and H2 itself never forces the file. Writing one chunk per commit (as
 * {@code WRITE_DELAY=0} does) cost most of the bus's database time: a referral makes about sixteen write
 * transactions, each rewriting the same index pages. So the flow's commits are written together, by
 * {@link H2Files}: before the flow's first message to the broker ({@link WriteBeforeSend}, to keep a queued copy's
 * row in the file) and at the receipt, with the force. Receipts issued at the same time share one write and force
 * ({@link GroupSync}): each waits for one that started after its own commits, so sharing never weakens the promise.
 * Commits of every other thread are written before they return ({@link WrittenCommits}). A crash before the receipt
 * may take back the flow's last commits as a whole (MVStore writes committed versions in order); the agency's retry
 * redoes them, and broker messages already sent carry the same duplicate-detection id the second time.
 * PostgreSQL's COMMIT already waits until its WAL is flushed when {@code fsync} and {@code synchronous_commit} are
 * on; there these steps do nothing. A send to a durable queue returns only once the broker's journal is synced
 * ({@code EmbeddedBrokerConfiguration}).
 */
@Component
public class StorageSync {

    private final JdbcTemplate jdbc;
    private final boolean h2;
    private final GroupSync writeAndForce;

    StorageSync(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        String engine = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        this.h2 = "H2".equals(engine);
        this.writeAndForce = new GroupSync(() -> jdbc.execute((ConnectionCallback<Void>) c -> {
            H2Files.writeAndForce(c);
            return null;
        }));
        if (h2) {
            requireH2Embedded();
        } else if ("PostgreSQL".equals(engine)) {
            requirePostgresFlushesEveryCommit();
        } else {
            throw new IllegalStateException("Unsupported database " + engine
                    + ": receipts are known to be durable on H2 and PostgreSQL only");
        }
    }

    /** The referral flow's first step: this thread's commits may stay in memory until {@link #force}. */
    public void deferCommits() {
        CommitDeferral.begin();
    }

    /** Returns once every commit made before the call is on the disk; concurrent receipts share one write and force. */
    public void force() {
        try {
            if (h2) {
                writeAndForce.await();
            }
        } finally {
            CommitDeferral.end();
        }
    }

    /**
     * When the flow ends without a receipt (a refusal, a failure): writes what it committed (its rejection's audit
     * event, a lease given up), as every other commit is written, and ends the deferral.
     */
    public void endDeferral() {
        try {
            write();
        } finally {
            CommitDeferral.end();
        }
    }

    /**
     * The flow's step after a new referral's copies are stored ({@code write-copies}): what it committed so far is in
     * the database file, so the copies' sends need no write of their own ({@link WriteBeforeSend}).
     */
    public void writeCopies() {
        write();
    }

    /** If this thread deferred its commits: every commit made so far is in the database file (survives kill -9). */
    void write() {
        if (h2 && CommitDeferral.active()) {
            jdbc.execute((ConnectionCallback<Void>) c -> {
                H2Files.write(c);
                return null;
            });
        }
    }

    private void requireH2Embedded() {
        boolean embedded = Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) H2Files::embedded));
        if (!embedded) {
            throw new IllegalStateException("H2 is opened by another process (an H2 server or AUTO_SERVER owner): the "
                    + "bus could not write and force its commits before a receipt. Let the bus open the database file "
                    + "itself (jdbc:h2:file:…)");
        }
    }

    private void requirePostgresFlushesEveryCommit() {
        String fsync = jdbc.queryForObject("SHOW fsync", String.class);
        String synchronousCommit = jdbc.queryForObject("SHOW synchronous_commit", String.class);
        if ("off".equals(fsync.toLowerCase(Locale.ROOT)) || "off".equals(synchronousCommit.toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException("PostgreSQL runs with fsync=" + fsync + ", synchronous_commit="
                    + synchronousCommit + ": commits would be acknowledged before they are on disk and a crash would take "
                    + "back receipts already sent. Turn both on for the bus's database and role");
        }
    }
}

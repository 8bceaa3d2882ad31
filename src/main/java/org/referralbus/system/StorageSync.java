package org.referralbus.system;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Flow steps around the database's durability. {@link #deferCommits} (the referral flow's first step) lets the flow's
 * commits stay in memory; {@link #force} (a new referral's step once its copies and receipt are stored, before the
 * first copy leaves) writes everything they changed (the referral, its needs, its deliveries, its audit events, its
 * receipt) and forces it to the disk, so that neither a killed process nor a power cut takes back what the receipt
 * promises, and no copy reaches a provider before its row is on the disk; {@link #finish} (the flow's last step)
 * forces what a receipt answered again rests on. Start-up refuses a database on which the bus cannot
 * keep that promise (see docs/operators.md, "Durability: what a receipt promises").
 *
 * <p>Implementation note. H2 (the embedded default) runs with a {@code WRITE_DELAY}: a commit stays in the MVStore's
 * memory until a store writes a chunk, and H2 itself never forces the file. Writing one chunk per commit (as
 * {@code WRITE_DELAY=0} does) cost most of the bus's database time: a referral makes about sixteen write
 * transactions, each rewriting the same index pages. So the flow's commits are written together, by
 * {@link H2Files}: with the force before a new referral's copies leave, and before any other message of the flow
 * leaves for the broker ({@link WriteBeforeSend}, to keep a queued copy's row in the file). What the flow commits after
 * the force (its copies' hand-overs) is left to the next write of anyone: a crash that takes it back leaves receipted
 * copies {@code SEALED}, which {@code delivery/UnsentCopies} hands over again. Receipts issued at the same time share
 * one write and force ({@link GroupSync}): each waits for one that started after its own commits, so sharing never
 * weakens the promise.
 * Commits of every other thread are written before they return ({@link WrittenCommits}). A crash before the receipt
 * may take back the flow's last commits as a whole (MVStore writes committed versions in order); the agency's retry
 * redoes them, and broker messages already sent carry the same duplicate-detection id the second time.
 * On PostgreSQL a COMMIT waits until its WAL is flushed when {@code fsync} and {@code synchronous_commit} are on, and
 * a row it locked (the audit head) stays locked until then. So there the flow's transactions commit with
 * {@code synchronous_commit} off for themselves ({@link WrittenCommits}), and these steps flush the WAL once, shared by
 * concurrent callers: a synchronous commit flushes the WAL up to its own record, hence every commit before it. A
 * crash of PostgreSQL before the flush takes back the flow's last commits as a whole (the WAL is replayed in order),
 * as on H2. A send to a durable queue returns only once the broker's journal is synced
 * ({@code EmbeddedBrokerConfiguration}).
 */
@Component
public class StorageSync {

    private static final Logger log = LoggerFactory.getLogger(StorageSync.class);

    /**
     * A transactional WAL record and nothing else: it gives the statement's transaction an id and WAL of its own, so
     * its commit is synchronous and flushes the WAL up to itself, without a row to write or to contend for.
     */
    static final String FLUSH_WAL = "SELECT pg_logical_emit_message(true, 'referral-bus', 'flush')";

    private final JdbcTemplate jdbc;
    /** The bus's data source, or null where a test hands a plain one: then every write is the caller's alone. */
    private final WrittenCommits written;
    /** Past {@link WrittenCommits}: through it, a flow's thread would commit the WAL flush itself without flushing. */
    private final javax.sql.DataSource unwrapped;
    private final boolean h2;
    private final GroupSync writeAndForce;
    private volatile boolean postgresCommitsDeferred;

    StorageSync(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        javax.sql.DataSource dataSource = java.util.Objects.requireNonNull(jdbc.getDataSource());
        this.written = dataSource instanceof WrittenCommits commits ? commits : null;
        this.unwrapped = written != null ? java.util.Objects.requireNonNull(written.getTargetDataSource()) : dataSource;
        String engine = DatabaseEngine.of(jdbc);
        this.h2 = DatabaseEngine.H2.equals(engine);
        this.writeAndForce = new GroupSync(h2 ? () -> jdbc.execute((ConnectionCallback<Void>) c -> {
            H2Files.writeAndForce(c);
            return null;
        }) : this::flushWal);
        if (h2) {
            requireH2Embedded();
        } else if (DatabaseEngine.POSTGRESQL.equals(engine)) {
            requirePostgresFlushesEveryCommit();
            deferPostgresCommitsIfTheWalCanBeFlushed();
        } else {
            throw new IllegalStateException("Unsupported database " + engine
                    + ": receipts are known to be durable on H2 and PostgreSQL only");
        }
    }

    /** The referral flow's first step: this thread's commits may stay in memory until {@link #force}. */
    public void deferCommits() {
        CommitDeferral.begin();
    }

    /**
     * A new referral's receipt step: returns once every commit made before the call is on the disk (concurrent
     * receipts share one write and force). The flow's later commits stay deferred and are left to the next write.
     */
    public void force() {
        if (h2 || postgresCommitsDeferred) {
            writeAndForce.await();
            CommitDeferral.flushed();
        }
        CommitDeferral.forced();
    }

    /**
     * The flow's last step: forces what a receipt answered rests on, unless {@link #force} already did for this flow,
     * and ends the deferral. Not only this thread's commits: a replayed receipt may rest on another flow's, not yet
     * written.
     */
    public void finish() {
        try {
            if (!CommitDeferral.alreadyForced() && (h2 || postgresCommitsDeferred)) {
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

    /** If this thread deferred its commits: every commit made so far is in the database file (survives kill -9). */
    void write() {
        if (h2 && CommitDeferral.active()) {
            jdbc.execute((ConnectionCallback<Void>) c -> {
                if (written != null) {
                    written.writeTogether(c); // the copies of referrals arriving together: one chunk, not one each
                } else {
                    H2Files.write(c);
                }
                return null;
            });
        } else if (!h2) {
            flushIfUnflushed();
        }
    }

    /** PostgreSQL: if this thread committed without a WAL flush, one flush (shared with concurrent callers) covers it. */
    private void flushIfUnflushed() {
        if (CommitDeferral.unflushed()) {
            writeAndForce.await();
            CommitDeferral.flushed();
        }
    }

    /** On a connection of its own, in auto-commit mode, whatever transaction the caller is in, past WrittenCommits. */
    private void flushWal() {
        try (java.sql.Connection connection = unwrapped.getConnection(); java.sql.Statement statement = connection.createStatement()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            statement.execute(FLUSH_WAL);
        } catch (java.sql.SQLException e) {
            throw new org.springframework.dao.DataAccessResourceFailureException("Could not flush PostgreSQL's WAL", e);
        }
    }

    /**
     * The flow's commits skip their WAL flush only where the bus can flush it itself; otherwise every commit waits for
     * its own, as PostgreSQL does by default (a role without the right to write a WAL message, say).
     */
    private void deferPostgresCommitsIfTheWalCanBeFlushed() {
        try {
            flushWal();
        } catch (org.springframework.dao.DataAccessException e) {
            log.warn("PostgreSQL: cannot flush the WAL with pg_logical_emit_message ({}); every commit of the referral "
                    + "flow waits for its own WAL flush", e.getMostSpecificCause().getMessage());
            return;
        }
        if (written != null) {
            written.deferPostgresCommits();
            postgresCommitsDeferred = true;
        }
    }

    /** Whether the flow's PostgreSQL commits skip their own WAL flush (for tests). */
    boolean postgresCommitsDeferred() {
        return postgresCommitsDeferred;
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

package org.referralbus.system;

import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Flow step before a receipt leaves the bus: everything the referral's committed transactions wrote (the referral,
 * its needs, its deliveries, its audit events) is forced to the disk, so that neither a killed process nor a power
 * cut takes back what the receipt promises. Start-up refuses a database configured to acknowledge commits it has not
 * written (see docs/operators.md, "Durability: what a receipt promises").
 *
 * <p>Implementation note. H2 (the embedded default) keeps committed changes in memory for up to {@code WRITE_DELAY}
 * ms (500 unless set) and never fsyncs a commit. With {@code WRITE_DELAY=0} every commit writes its changes to the
 * database file, in the committing thread, before it returns: that survives the process dying. {@code CHECKPOINT SYNC}
 * then forces the file to the disk ({@code FileChannel.force}), covering every commit made before it: that survives
 * the machine dying. Receipts issued at the same time share one such sync ({@link GroupSync}): each waits for a sync
 * that started after its own commits, so sharing never weakens the promise. PostgreSQL's COMMIT already waits until
 * its WAL is flushed when {@code fsync} and {@code synchronous_commit} are on; there this step does nothing. The broker needs no step here: a send to a durable
 * queue returns only once the journal is synced ({@code EmbeddedBrokerConfiguration}).
 */
@Component
public class StorageSync {

    private final JdbcTemplate jdbc;
    private final boolean h2;
    private final GroupSync checkpoint;

    StorageSync(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        String engine = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        this.h2 = "H2".equals(engine);
        this.checkpoint = new GroupSync(() -> jdbc.execute("CHECKPOINT SYNC"));
        if (h2) {
            requireH2WritesEveryCommit();
        } else if ("PostgreSQL".equals(engine)) {
            requirePostgresFlushesEveryCommit();
        } else {
            throw new IllegalStateException("Unsupported database " + engine
                    + ": receipts are known to be durable on H2 and PostgreSQL only");
        }
    }

    /** Returns once every commit made before the call is on the disk; concurrent receipts share one sync. */
    public void force() {
        if (h2) {
            checkpoint.await();
        }
    }

    private void requireH2WritesEveryCommit() {
        // One row for the database, one more when the URL sets it: all must say 0.
        List<String> writeDelay = jdbc.queryForList("SELECT DISTINCT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                + "WHERE SETTING_NAME = 'WRITE_DELAY'", String.class);
        if (!writeDelay.equals(List.of("0"))) {
            throw new IllegalStateException("H2 runs with WRITE_DELAY=" + String.join(",", writeDelay) + ": commits would "
                    + "stay in memory and a crash would take back receipts already sent. Add ;WRITE_DELAY=0 to "
                    + "spring.datasource.url");
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

package org.referralbus.dedupe;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The case_opening_lock table: one row that every bus node locks (an update that changes nothing, on H2 and
 * PostgreSQL alike) while it chooses a referral's case, until that choice and the encodings it stored commit.
 *
 * <p>Implementation note: without it, two referrals of the same person arriving at the same instant on two nodes
 * (or two request threads of one node) both find no case, because neither has stored its encodings yet, and open two
 * cases. The linker compares a record with every stored encoding that shares an LSH block, in any spelling, so no
 * narrower key than "all case choices" covers the race; the lock is held for the few queries of one choice only.
 * An update rather than {@code SELECT ... FOR UPDATE}, which H2 parses anew for every use (it keeps no such statement
 * parsed); the update it keeps, and it takes the same row lock.
 */
@Component
class CaseOpeningLock {

    private final JdbcTemplate jdbc;

    CaseOpeningLock(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Waits for the lock; it is released when the caller's transaction ends. */
    void holdUntilCommit() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("The case opening lock needs a transaction to hold it");
        }
        if (jdbc.update("UPDATE case_opening_lock SET id = id WHERE id = 1") != 1) {
            throw new IllegalStateException("The case opening lock's row is missing (Flyway migration V12)");
        }
    }
}

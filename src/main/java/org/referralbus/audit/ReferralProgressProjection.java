package org.referralbus.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code referral_progress} and its per-day counts up to date with the trail, so that the console never reads
 * the whole trail: each catch-up folds only the rows appended since the stored position, a page of the primary key at
 * a time, one transaction per page under a lock on the position (nodes fold in turn, each page once). The trail stays
 * the record: the progress is derived from it alone and can be rebuilt from row 1.
 *
 * <p>A referral's progress, as the console has always shown it: its sender (the actor of its first row, or of its
 * VALIDATED row), when it was received (its envelope's first RECEIVED row, else its first row), the providers it
 * was delivered to and those that have not answered yet, its first delivery and acceptance, and its last step.
 */
@Component
class ReferralProgressProjection {

    static final int PAGE = 10_000;

    private final AuditRows trail;
    private final ReferralProgressStore store;
    private final TransactionTemplate transaction;
    private final int page;
    private final SharedRun<Long> shared = new SharedRun<>(this::foldToHead);

    @Autowired
    ReferralProgressProjection(JdbcTemplate jdbc, ReferralProgressStore store, PlatformTransactionManager transactions) {
        this(jdbc, store, transactions, PAGE);
    }

    /** {@code page}: trail rows folded per transaction (tests use a few, to cross pages). */
    ReferralProgressProjection(JdbcTemplate jdbc, ReferralProgressStore store, PlatformTransactionManager transactions,
                               int page) {
        this.trail = new AuditRows(jdbc);
        this.store = store;
        this.transaction = new TransactionTemplate(transactions);
        this.page = page;
    }

    /**
     * Folds every row appended since the last catch-up; returns the position reached (the trail's head seq). Console
     * requests and the schedule that ask while a fold runs on this node share it (after the upgrade, the first fold
     * reads the whole trail); nodes take turns page by page on the position's lock.
     */
    long catchUp() {
        return shared.get();
    }

    private long foldToHead() {
        long head = trail.head().seq();
        long position = store.position();
        // Nothing new: answer without taking the position's lock, which a node folding a page holds.
        while (position < head) {
            position = transaction.execute(status -> foldNextPage(head));
        }
        return position;
    }

    private long foldNextPage(long head) {
        long from = store.lockPosition();
        if (from >= head) {
            return from;
        }
        long to = Math.min(head, from + page);
        List<AuditRows.ReferralRow> rows = trail.referralRows(from, to);
        Map<String, ReferralProgress> stored = store.find(rows.stream().map(AuditRows.ReferralRow::referralId).distinct().toList());
        Map<String, Fold> folds = new LinkedHashMap<>();
        Map<String, String> firstEnvelope = new LinkedHashMap<>();
        for (AuditRows.ReferralRow row : rows) {
            if (!stored.containsKey(row.referralId()) && !firstEnvelope.containsKey(row.referralId())) {
                firstEnvelope.put(row.referralId(), row.envelopeSha256());
            }
        }
        Map<String, OffsetDateTime> received = trail.firstReceived(
                firstEnvelope.values().stream().filter(e -> e != null).distinct().toList());
        for (AuditRows.ReferralRow row : rows) {
            folds.computeIfAbsent(row.referralId(), id -> stored.containsKey(id) ? new Fold(stored.get(id))
                    : new Fold(id, firstEnvelope.get(id) == null ? null : received.get(firstEnvelope.get(id)))).add(row);
        }
        List<ReferralProgress> added = new ArrayList<>();
        List<ReferralProgress> changed = new ArrayList<>();
        Map<ReferralProgressStore.DaySender, Integer> days = new HashMap<>();
        folds.forEach((id, fold) -> {
            ReferralProgress now = fold.progress();
            ReferralProgress before = stored.get(id);
            (before == null ? added : changed).add(now);
            // A referral counts once, on the day it was received, for its sender: a later VALIDATED row may name another.
            if (before != null) {
                days.merge(ReferralProgressStore.DaySender.of(before), -1, Integer::sum);
            }
            days.merge(ReferralProgressStore.DaySender.of(now), 1, Integer::sum);
        });
        if (!added.isEmpty()) {
            store.insert(added);
        }
        if (!changed.isEmpty()) {
            store.update(changed);
        }
        store.countDays(days);
        store.movePosition(to);
        return to;
    }

    /** One referral's progress, as its rows are folded in seq order. */
    private static final class Fold {
        final String referralId;
        final OffsetDateTime envelopeReceived;
        String sender;
        OffsetDateTime receivedAt;
        String lastStep;
        OffsetDateTime lastStepAt;
        OffsetDateTime delivered;
        OffsetDateTime accepted;
        final List<String> providers = new ArrayList<>();
        final Set<String> awaiting = new TreeSet<>();

        Fold(String referralId, OffsetDateTime envelopeReceived) {
            this.referralId = referralId;
            this.envelopeReceived = envelopeReceived;
        }

        Fold(ReferralProgress stored) {
            this(stored.referralId(), null);
            sender = stored.sender();
            receivedAt = stored.receivedAt();
            lastStep = stored.lastStep();
            lastStepAt = stored.lastStepAt();
            delivered = stored.delivered();
            accepted = stored.accepted();
            providers.addAll(stored.providers());
            awaiting.addAll(stored.awaiting());
        }

        void add(AuditRows.ReferralRow row) {
            String type = row.type();
            OffsetDateTime at = AuditChain.normalise(row.at());
            if (type.equals("VALIDATED") || sender == null && !type.equals("DELIVERED")) {
                sender = row.actor();
            }
            if (receivedAt == null) {
                receivedAt = envelopeReceived != null ? AuditChain.normalise(envelopeReceived) : at;
            }
            if (type.equals("DELIVERED")) {
                if (delivered == null) {
                    delivered = at;
                }
                if (row.counterpart() != null) {
                    if (!providers.contains(row.counterpart())) {
                        providers.add(row.counterpart());
                    }
                    awaiting.add(row.counterpart());
                }
            }
            if (type.equals("ACKNOWLEDGED") || type.equals("DECLINED")) {
                awaiting.remove(row.actor());
            }
            if (type.equals("ACKNOWLEDGED") && accepted == null) {
                accepted = at;
            }
            lastStep = type;
            lastStepAt = at;
        }

        ReferralProgress progress() {
            return new ReferralProgress(referralId, sender, receivedAt, lastStep, lastStepAt, List.copyOf(providers),
                    delivered, accepted, List.copyOf(awaiting));
        }
    }
}

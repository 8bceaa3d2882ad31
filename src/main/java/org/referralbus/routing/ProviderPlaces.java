package org.referralbus.routing;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The provider_capacity_lock and provider_place tables: a lock row per capped provider, and the places routing
 * claimed at capped providers whose copies are not stored yet.
 *
 * <p>Implementation note: capacity is counted from delivery rows, which are written after routing, in other
 * transactions. Without a claim, two nodes (or two threads) routing at the same instant both count the same free place
 * and both take it. So routing locks the rows of the capped providers it may choose ({@code SELECT ... FOR UPDATE}, in
 * id order so two routings never wait for each other crosswise), counts, and claims its places before the lock is
 * released at commit; the delivery step releases a place in the transaction that stores the copy, so a referral is
 * never counted twice, or not at all, at that provider. A place of an attempt that died before its copy was stored
 * counts until {@code referral-bus.routing.place-hold} has passed.
 */
@Component
public class ProviderPlaces {

    private final JdbcTemplate jdbc;
    /** Lock rows this node knows to exist: each is inserted once, outside any routing transaction. */
    private final Set<String> lockRows = ConcurrentHashMap.newKeySet();

    ProviderPlaces(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Makes sure every provider has its lock row; call outside the routing transaction (a lost insert race is fine). */
    void ensureLockRows(Collection<String> providerIds) {
        for (String providerId : providerIds) {
            if (lockRows.contains(providerId)) {
                continue;
            }
            try {
                jdbc.update("INSERT INTO provider_capacity_lock (provider_id) SELECT ? FROM (VALUES (1)) t "
                        + "WHERE NOT EXISTS (SELECT 1 FROM provider_capacity_lock WHERE provider_id = ?)", providerId, providerId);
            } catch (DuplicateKeyException e) {
                // another node inserted it at the same instant
            }
            lockRows.add(providerId);
        }
    }

    /** Waits for the providers' lock rows, in id order; they are released when the caller's transaction ends. */
    void lock(List<String> sortedProviderIds) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Provider places must be locked inside a transaction");
        }
        jdbc.queryForList("SELECT provider_id FROM provider_capacity_lock WHERE provider_id IN (" + placeholders(sortedProviderIds)
                + ") ORDER BY provider_id FOR UPDATE", String.class, sortedProviderIds.toArray());
    }

    /**
     * Drops the places that expired ({@code claimedBefore}) and the referral's own earlier claims (a retry decides
     * again), then returns the places other referrals hold, per provider.
     */
    Map<String, Integer> heldByOthers(List<String> providerIds, OffsetDateTime claimedBefore, String sender, String referralId) {
        Object[] arguments = arguments(providerIds, claimedBefore, sender, referralId);
        jdbc.update("DELETE FROM provider_place WHERE provider_id IN (" + placeholders(providerIds) + ") "
                + "AND (claimed_at <= ? OR (sender = ? AND referral_id = ?))", arguments);
        Map<String, Integer> held = new HashMap<>();
        jdbc.query("SELECT provider_id, COUNT(*) FROM provider_place WHERE provider_id IN (" + placeholders(providerIds) + ") "
                + "GROUP BY provider_id", rs -> {
                    held.put(rs.getString(1), rs.getInt(2));
                }, providerIds.toArray());
        return held;
    }

    void claim(String providerId, String sender, String referralId, OffsetDateTime at) {
        jdbc.update("INSERT INTO provider_place (provider_id, sender, referral_id, claimed_at) VALUES (?, ?, ?, ?)",
                providerId, sender, referralId, at);
    }

    /**
     * The referral's copies for these providers are stored in the caller's transaction (and count from now on): their
     * claimed places are no longer needed. Takes the providers' locks first, in id order as routing does: a routing
     * counts stored copies and places in two statements, each seeing what was committed when it started, so a copy
     * stored and its place dropped between the two would be counted neither as a copy nor as a place.
     */
    public void release(Collection<String> providerIds, String sender, String referralId) {
        if (providerIds.isEmpty()) {
            return;
        }
        List<String> sorted = providerIds.stream().distinct().sorted().toList();
        lock(sorted);
        jdbc.update("DELETE FROM provider_place WHERE provider_id IN (" + placeholders(sorted) + ") AND sender = ? AND referral_id = ?",
                arguments(sorted, sender, referralId));
    }

    private static String placeholders(Collection<String> ids) {
        return String.join(", ", Collections.nCopies(ids.size(), "?"));
    }

    private static Object[] arguments(List<String> ids, Object... more) {
        Object[] all = new Object[ids.size() + more.length];
        for (int i = 0; i < ids.size(); i++) {
            all[i] = ids.get(i);
        }
        System.arraycopy(more, 0, all, ids.size(), more.length);
        return all;
    }
}

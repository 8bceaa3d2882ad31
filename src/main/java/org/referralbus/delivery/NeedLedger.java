package org.referralbus.delivery;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.referralbus.schema.referral.ServiceCode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where each need of a referral stands ({@code referral_need}) and every state it went through
 * ({@code referral_need_history}). Transitions are conditional updates, so a retried step changes nothing twice.
 * Every recorded state is also offered to the sender's status callback ({@link StatusCallbacks}).
 * The {@code service} column holds the {@link ServiceCode}'s {@code value()}; the status rows carry it as stored.
 */
@Component
public class NeedLedger {

    public enum NeedState { ROUTED, DELIVERED, ACCEPTED, DECLINED, ESCALATED, CLOSED }

    public record NeedRow(String service, String providerId, String deliveryId, NeedState state, OffsetDateTime at) {
    }

    public record HistoryRow(String service, String providerId, NeedState state, String detail, OffsetDateTime at) {
    }

    private final JdbcTemplate jdbc;
    private final DeliveryLedger deliveries;
    private final Clock clock;
    private final StatusCallbacks callbacks;
    private final PendingReroutes pendingReroutes;

    public NeedLedger(JdbcTemplate jdbc, DeliveryLedger deliveries, Clock clock, StatusCallbacks callbacks,
                      PendingReroutes pendingReroutes) {
        this.jdbc = jdbc;
        this.deliveries = deliveries;
        this.clock = clock;
        this.callbacks = callbacks;
        this.pendingReroutes = pendingReroutes;
    }

    /** The need is now the responsibility of this provider's delivery (first routing or re-routing). */
    void routed(String sender, String referralId, ServiceCode need, String providerId, String deliveryId, String rule) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        String service = need.value();
        int updated = jdbc.update("UPDATE referral_need SET provider_id = ?, delivery_id = ?, state = 'ROUTED', rule = ?, updated_at = ? "
                        + "WHERE sender = ? AND referral_id = ? AND service = ? AND (delivery_id IS NULL OR delivery_id <> ?)",
                providerId, deliveryId, rule, now, sender, referralId, service, deliveryId);
        if (updated == 0) {
            int inserted = jdbc.update("INSERT INTO referral_need (sender, referral_id, service, provider_id, delivery_id, state, rule, updated_at) "
                            + "SELECT ?, ?, ?, ?, ?, 'ROUTED', ?, ? FROM (VALUES (1)) t WHERE NOT EXISTS "
                            + "(SELECT 1 FROM referral_need WHERE sender = ? AND referral_id = ? AND service = ?)",
                    sender, referralId, service, providerId, deliveryId, rule, now, sender, referralId, service);
            if (inserted == 0) {
                return; // already routed to this very delivery by an earlier attempt
            }
        }
        history(sender, referralId, service, providerId, NeedState.ROUTED, rule, now);
    }

    /** Moves every need held by the delivery from one of {@code from} to {@code to}; returns the services moved. */
    List<ServiceCode> transition(String deliveryId, Set<NeedState> from, NeedState to, String detail) {
        return transition(deliveryId, () -> deliveries.referralOf(deliveryId).orElseThrow(), from, to, detail);
    }

    /** {@link #transition(String, Set, NeedState, String)} for a delivery row the caller has read already. */
    List<ServiceCode> transition(DeliveryLedger.DeliveryRow delivery, Set<NeedState> from, NeedState to, String detail) {
        return transition(delivery.deliveryId(), () -> new String[] {delivery.sender(), delivery.referralId()}, from, to, detail);
    }

    private List<ServiceCode> transition(String deliveryId, java.util.function.Supplier<String[]> referralOf, Set<NeedState> from,
                                         NeedState to, String detail) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<NeedRow> rows = needsOfDelivery(deliveryId).stream().filter(r -> from.contains(r.state())).toList();
        List<ServiceCode> moved = new java.util.ArrayList<>();
        String[] key = null;
        for (NeedRow row : rows) {
            int updated = jdbc.update("UPDATE referral_need SET state = ?, updated_at = ? WHERE delivery_id = ? AND service = ? AND state = ?",
                    to.name(), now, deliveryId, row.service(), row.state().name());
            if (updated == 1) {
                key = key != null ? key : referralOf.get(); // once per delivery
                history(key[0], key[1], row.service(), row.providerId(), to, detail, now);
                moved.add(ServiceCode.fromValue(row.service()));
            }
        }
        return moved;
    }

    /**
     * The referral's needs that another delivery than {@code from} holds now and that has left the bus (handed over,
     * or answered): moved on for good. A need whose new copy is still only stored ({@code SEALED}) is not among them:
     * its send may have failed, so re-routing it again (to the same copy, by its id) is what finishes it.
     */
    List<ServiceCode> handedOnFrom(String sender, String referralId, String from) {
        return needs(sender, referralId).stream()
                .filter(r -> r.deliveryId() != null && !r.deliveryId().equals(from))
                .filter(r -> deliveries.find(r.deliveryId()).map(d -> d.state() != DeliveryLedger.State.SEALED).orElse(false))
                .map(r -> ServiceCode.fromValue(r.service())).toList();
    }

    /** Providers that declined or let lapse each service of the referral: never asked again for it. */
    public Map<ServiceCode, Set<String>> declined(String sender, String referralId) {
        Map<ServiceCode, Set<String>> declined = new HashMap<>();
        jdbc.query("SELECT service, provider_id FROM referral_need_history WHERE sender = ? AND referral_id = ? "
                        + "AND state IN (?, ?)",
                rs -> {
                    declined.computeIfAbsent(ServiceCode.fromValue(rs.getString(1)), s -> new HashSet<>()).add(rs.getString(2));
                }, sender, referralId, NeedState.DECLINED.name(), NeedState.ESCALATED.name());
        return declined;
    }

    /**
     * When the last need of the referral was closed (accepted, the case reported closed, or declined with nobody left to route it to), or empty
     * while any need is still open (routed, delivered, escalated, or declined and due to be re-routed) or the referral has no need at all.
     */
    public java.util.Optional<OffsetDateTime> closedAt(String sender, String referralId) {
        List<NeedRow> rows = needs(sender, referralId);
        if (rows.isEmpty() || rows.stream().anyMatch(r -> r.state() != NeedState.ACCEPTED && r.state() != NeedState.CLOSED
                && r.state() != NeedState.DECLINED) || dueForRerouting(rows, sender, referralId)) {
            return java.util.Optional.empty();
        }
        return rows.stream().map(NeedRow::at).max(java.util.Comparator.naturalOrder());
    }

    /** Only a declined need can still be due to move on: the retention run asks this of every referral it keeps. */
    private boolean dueForRerouting(List<NeedRow> rows, String sender, String referralId) {
        return rows.stream().anyMatch(r -> r.state() == NeedState.DECLINED) && pendingReroutes.anyFor(sender, referralId);
    }

    public List<NeedRow> needs(String sender, String referralId) {
        return jdbc.query("SELECT service, provider_id, delivery_id, state, updated_at FROM referral_need "
                        + "WHERE sender = ? AND referral_id = ? ORDER BY service",
                (rs, i) -> new NeedRow(rs.getString(1), rs.getString(2), rs.getString(3), NeedState.valueOf(rs.getString(4)),
                        rs.getObject(5, OffsetDateTime.class)), sender, referralId);
    }

    public List<HistoryRow> history(String sender, String referralId) {
        return jdbc.query("SELECT service, provider_id, state, detail, at FROM referral_need_history "
                        + "WHERE sender = ? AND referral_id = ? ORDER BY id",
                (rs, i) -> new HistoryRow(rs.getString(1), rs.getString(2), NeedState.valueOf(rs.getString(3)), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class)), sender, referralId);
    }

    private List<NeedRow> needsOfDelivery(String deliveryId) {
        return jdbc.query("SELECT service, provider_id, delivery_id, state, updated_at FROM referral_need WHERE delivery_id = ?",
                (rs, i) -> new NeedRow(rs.getString(1), rs.getString(2), rs.getString(3), NeedState.valueOf(rs.getString(4)),
                        rs.getObject(5, OffsetDateTime.class)), deliveryId);
    }

    private void history(String sender, String referralId, String service, String providerId, NeedState state, String detail,
                         OffsetDateTime at) {
        jdbc.update("INSERT INTO referral_need_history (sender, referral_id, service, provider_id, state, detail, at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", sender, referralId, service, providerId, state.name(), detail, at);
        callbacks.changed(sender, referralId, service, providerId, state, at);
    }
}

package org.referralbus.delivery;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.referralbus.schema.referral.ServiceCode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Re-routings that are due ({@code pending_reroute}): written with the decline or escalation that makes them due, in
 * its transaction, and removed when the reroute route has finished. What stays here longer was interrupted (the broker
 * down, a crash) and is picked up by {@link StrandedReroutes}.
 */
@Component
class PendingReroutes {

    private final JdbcTemplate jdbc;

    PendingReroutes(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inside the caller's transaction: the needs the request moves on are due to be re-routed. */
    void due(RerouteRequest request, OffsetDateTime since) {
        for (ServiceCode service : request.services()) {
            jdbc.update("INSERT INTO pending_reroute (delivery_id, service, sender, referral_id, escalation, since) VALUES (?, ?, ?, ?, ?, ?)",
                    request.fromDelivery(), service.value(), request.sender(), request.referralId(), request.escalation(), since);
        }
    }

    /** The reroute route has routed the needs on, or found nobody left to take them. */
    void finished(RerouteRequest request) {
        for (ServiceCode service : request.services()) {
            jdbc.update("DELETE FROM pending_reroute WHERE delivery_id = ? AND service = ?", request.fromDelivery(), service.value());
        }
    }

    /** Whether any need of the referral is still due to be re-routed: it is not closed, whatever its state says. */
    boolean anyFor(String sender, String referralId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM pending_reroute WHERE sender = ? AND referral_id = ?)",
                Boolean.class, sender, referralId));
    }

    /** How many needs are due to be re-routed, and since when the oldest is (empty if none). */
    Backlog backlog() {
        return jdbc.queryForObject("SELECT COUNT(*), MIN(since) FROM pending_reroute",
                (rs, i) -> new Backlog(rs.getLong(1), Optional.ofNullable(rs.getObject(2, OffsetDateTime.class))));
    }

    record Backlog(long needs, Optional<OffsetDateTime> oldest) {
    }

    /** Re-routings due since before {@code before}, one request per delivery given up, oldest first. */
    List<Stranded> dueSince(OffsetDateTime before) {
        Map<String, Stranded> byDelivery = new LinkedHashMap<>();
        jdbc.query("SELECT delivery_id, service, sender, referral_id, escalation, since FROM pending_reroute WHERE since < ? ORDER BY since, delivery_id",
                (rs, i) -> new Stranded(rs.getString(1), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getObject(6, OffsetDateTime.class), List.of(ServiceCode.fromValue(rs.getString(2)))), before)
                .forEach(row -> byDelivery.merge(row.deliveryId(), row, Stranded::with));
        return List.copyOf(byDelivery.values());
    }

    /**
     * Takes a stranded re-routing for this bus instance: moves its time on, so another instance sweeping at the same
     * moment finds it changed and leaves it, and this one's retry waits a full grace if it fails again.
     */
    boolean claim(Stranded stranded, OffsetDateTime now) {
        return jdbc.update("UPDATE pending_reroute SET since = ? WHERE delivery_id = ? AND since = ?",
                now, stranded.deliveryId(), stranded.since()) > 0;
    }

    /** @param escalation null after a decline (the next eligible provider), else the coordinator's reason */
    record Stranded(String deliveryId, String sender, String referralId, String escalation, OffsetDateTime since,
                    List<ServiceCode> services) {

        /** The same delivery's rows as one: every service, and the time they were written (one transaction). */
        Stranded with(Stranded other) {
            List<ServiceCode> all = new ArrayList<>(services);
            all.addAll(other.services);
            return new Stranded(deliveryId, sender, referralId, escalation, since, List.copyOf(all));
        }

        RerouteRequest request() {
            return new RerouteRequest(sender, referralId, services, escalation, deliveryId);
        }
    }
}

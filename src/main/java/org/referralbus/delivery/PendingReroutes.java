package org.referralbus.delivery;

import java.time.Duration;
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
 * down, a crash) and is picked up by {@link StrandedReroutes} once its next try is reached: a grace
 * ({@code referral-bus.delivery.reroute-grace}) after it became due or was last taken, or after an attempt failed, once
 * it has waited as long again as it had been due ({@link #failed}).
 */
@Component
class PendingReroutes {

    /** The longest wait between two failed attempts: a stuck re-routing still warns once a day. */
    static final Duration LONGEST_BACKOFF = Duration.ofDays(1);

    private final JdbcTemplate jdbc;
    private final Duration grace;

    PendingReroutes(JdbcTemplate jdbc, DeliveryProperties properties) {
        this.jdbc = jdbc;
        this.grace = properties.rerouteGrace();
    }

    /** Inside the caller's transaction: the needs the request moves on are due to be re-routed. */
    void due(RerouteRequest request, OffsetDateTime since) {
        jdbc.batchUpdate("INSERT INTO pending_reroute (delivery_id, service, sender, referral_id, escalation, since, next_try) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", request.services().stream().map(service -> new Object[] {request.fromDelivery(),
                service.value(), request.sender(), request.referralId(), request.escalation(), since, since.plus(grace)}).toList());
    }

    /**
     * An attempt failed and is over: the re-routing is tried again at the next sweep while it has been due for less than
     * the grace (the broker was down for a moment), else after as long again as it has been due: at about 1, 2, 4, 8…
     * minutes, at most a day apart. Until
     * 2026-12-05 every failure was tried again at the next sweep, and one whose envelope cannot be opened warned every
     * minute for ever. The wait follows from the row's {@code since}, so it holds across restarts and bus instances.
     *
     * @return how long until the next try
     */
    Duration failed(RerouteRequest request, OffsetDateTime now) {
        List<OffsetDateTime> since = jdbc.query("SELECT MIN(since) FROM pending_reroute WHERE delivery_id = ?",
                (rs, i) -> rs.getObject(1, OffsetDateTime.class), request.fromDelivery());
        Duration wait = since.isEmpty() || since.get(0) == null ? Duration.ZERO : backoff(Duration.between(since.get(0), now));
        jdbc.update("UPDATE pending_reroute SET next_try = ? WHERE delivery_id = ?", now.plus(wait), request.fromDelivery());
        return wait;
    }

    /** Nothing while due for less than the grace (the next sweep tries again), else as long again, at most a day. */
    Duration backoff(Duration due) {
        return due.compareTo(grace) < 0 ? Duration.ZERO : due.compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : due;
    }

    /** The reroute route has routed the needs on, or found nobody left to take them. */
    void finished(RerouteRequest request) {
        jdbc.batchUpdate("DELETE FROM pending_reroute WHERE delivery_id = ? AND service = ?",
                request.services().stream().map(service -> new Object[] {request.fromDelivery(), service.value()}).toList());
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

    /** Re-routings the sweep may take now, one request per delivery given up, oldest first. */
    List<Stranded> toTry(OffsetDateTime now) {
        Map<String, Stranded> byDelivery = new LinkedHashMap<>();
        jdbc.query("SELECT delivery_id, service, sender, referral_id, escalation, since, next_try FROM pending_reroute "
                        + "WHERE next_try <= ? ORDER BY since, delivery_id",
                (rs, i) -> new Stranded(rs.getString(1), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getObject(6, OffsetDateTime.class), rs.getObject(7, OffsetDateTime.class),
                        List.of(ServiceCode.fromValue(rs.getString(2)))), now)
                .forEach(row -> byDelivery.merge(row.deliveryId(), row, Stranded::with));
        return List.copyOf(byDelivery.values());
    }

    /**
     * Takes a re-routing for this bus instance: moves its next try a grace on, so another instance sweeping at the same
     * moment finds it changed and leaves it, and nobody takes it again while this attempt runs.
     */
    boolean claim(Stranded stranded, OffsetDateTime now) {
        return jdbc.update("UPDATE pending_reroute SET next_try = ? WHERE delivery_id = ? AND next_try = ?",
                now.plus(grace), stranded.deliveryId(), stranded.nextTry()) > 0;
    }

    /** @param escalation null after a decline (the next eligible provider), else the coordinator's reason */
    record Stranded(String deliveryId, String sender, String referralId, String escalation, OffsetDateTime since,
                    OffsetDateTime nextTry, List<ServiceCode> services) {

        /** The same delivery's rows as one: every service (written in one transaction, and always changed together). */
        Stranded with(Stranded other) {
            List<ServiceCode> all = new ArrayList<>(services);
            all.addAll(other.services);
            return new Stranded(deliveryId, sender, referralId, escalation, since, nextTry, List.copyOf(all));
        }

        RerouteRequest request() {
            return new RerouteRequest(sender, referralId, services, escalation, deliveryId);
        }
    }
}

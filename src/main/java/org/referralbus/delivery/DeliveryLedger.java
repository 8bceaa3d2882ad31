package org.referralbus.delivery;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.referralbus.dedupe.CaseProviders;
import org.referralbus.routing.OpenCases;
import org.referralbus.routing.RoutingRule;
import org.referralbus.routing.RegistryProperties;
import org.referralbus.schema.referral.ServiceCode;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The delivery table: one row per sealed copy, keyed by the deterministic delivery id. State moves forward only
 * (SEALED → DELIVERED → FETCHED → ACCEPTED | DECLINED | ESCALATED; ACCEPTED → CLOSED) through conditional updates, so each transition
 * happens, and is audited, once even when steps are retried or run on several bus instances. The table's only
 * reader and writer: routing asks it for the load ({@link OpenCases}), case linking for where a case went
 * ({@link CaseProviders}), case notices for who was given a case id ({@link #providersGivenTheCase}).
 */
@Component
public class DeliveryLedger implements OpenCases, CaseProviders {

    public enum State { SEALED, DELIVERED, FETCHED, ACCEPTED, DECLINED, ESCALATED, CLOSED }

    record NewDelivery(String deliveryId, String sender, String referralId, String providerId, String services,
                       String rule, String channel, String urgency, String envelopeSha256, byte[] sealedEnvelope,
                       OffsetDateTime createdAt) {
    }

    /** @param rule the routing rules' codes as stored ({@link org.referralbus.routing.Assignment#ruleCodes()}) */
    public record DeliveryRow(String deliveryId, String sender, String referralId, String providerId, List<String> services,
                              State state, String channel, String urgency, OffsetDateTime createdAt, String rule) {

        /** A case notice ({@link CaseNotices}): it owns no need, so it takes no answer, has no deadline and holds no place. */
        public boolean isCaseNotice() {
            return CASE_NOTICE.equals(rule);
        }
    }

    /** A copy stored and not handed over, with the agency that sent its referral. */
    record UnsentCopy(String sender, SealedCopy copy) {
    }

    /** What {@link #sealedCopy} reads. */
    private static final String SEALED_COPY_COLUMNS = "delivery_id, provider_id, referral_id, services, channel, sealed_envelope";

    /** The stored rule of a case notice; the only rule a notice's row ever has. */
    static final String CASE_NOTICE = RoutingRule.copy(RoutingRule.Kind.CASE_NOTICE).code();

    private static final String ROW_COLUMNS = "delivery_id, sender, referral_id, provider_id, services, state, channel, urgency, created_at, rule";

    private final JdbcTemplate jdbc;
    private final RegistryProperties registry;

    DeliveryLedger(JdbcTemplate jdbc, RegistryProperties registry) {
        this.jdbc = jdbc;
        this.registry = registry;
    }

    /** Empty when there is no such delivery, or its copy was removed (retention, erasure). */
    Optional<byte[]> sealedEnvelope(String deliveryId) {
        return jdbc.query("SELECT sealed_envelope FROM delivery WHERE delivery_id = ?",
                (rs, row) -> rs.getBytes(1), deliveryId).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** {@link #sealedEnvelope} for several deliveries in one statement; ids without a stored copy are absent. */
    Map<String, byte[]> sealedEnvelopes(List<String> deliveryIds) {
        Map<String, byte[]> stored = new HashMap<>();
        if (deliveryIds.isEmpty()) {
            return stored;
        }
        jdbc.query("SELECT delivery_id, sealed_envelope FROM delivery WHERE delivery_id IN ("
                        + String.join(", ", Collections.nCopies(deliveryIds.size(), "?")) + ") AND sealed_envelope IS NOT NULL",
                rs -> {
                    stored.put(rs.getString(1), rs.getBytes(2));
                }, deliveryIds.toArray());
        return stored;
    }

    /** Removes the sealed copies of the referral's deliveries, keeping the rows; returns the ids of those removed. */
    public List<String> removeSealedCopies(String sender, String referralId) {
        List<String> held = jdbc.queryForList("SELECT delivery_id FROM delivery WHERE sender = ? AND referral_id = ? "
                + "AND sealed_envelope IS NOT NULL ORDER BY delivery_id", String.class, sender, referralId);
        List<String> removed = new java.util.ArrayList<>();
        for (String deliveryId : held) {
            if (jdbc.update("UPDATE delivery SET sealed_envelope = NULL WHERE delivery_id = ? AND sealed_envelope IS NOT NULL",
                    deliveryId) == 1) {
                removed.add(deliveryId);
            }
        }
        return removed;
    }

    /** Stores the sealed copy unless an earlier attempt already did; returns the copy that is stored. */
    byte[] storeOnce(NewDelivery d) {
        try {
            jdbc.update("INSERT INTO delivery (delivery_id, sender, referral_id, provider_id, services, rule, channel, urgency, state, "
                            + "envelope_sha256, sealed_envelope, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    d.deliveryId(), d.sender(), d.referralId(), d.providerId(), d.services(), d.rule(), d.channel(),
                    d.urgency(), State.SEALED.name(), d.envelopeSha256(), d.sealedEnvelope(), d.createdAt());
            return d.sealedEnvelope();
        } catch (DuplicateKeyException e) {
            return sealedEnvelope(d.deliveryId()).orElseThrow();
        }
    }

    /** Every rule code of a copy routed because its provider held the case ({@code linked-case:<service>}). */
    private static final Set<String> LINKED_CASE = Arrays.stream(ServiceCode.values())
            .map(service -> RoutingRule.of(RoutingRule.Kind.LINKED_CASE, service).code()).collect(Collectors.toSet());

    /**
     * The providers that a copy of the referral naming its case ({@code <linkedCase>}) has reached: a case notice, or,
     * if the referral joined a case another referral opened, a copy routed by a {@code linked-case} rule (what
     * {@code DeliveryDocuments} gives a case id). A copy only stored ({@code SEALED}) has reached nobody yet; a rule
     * this release does not know names no case. Privacy first: whoever is not found here is taken as never told.
     */
    Set<String> providersGivenTheCase(String sender, String referralId, boolean linkedToExistingCase) {
        Set<String> given = new HashSet<>();
        jdbc.query("SELECT provider_id, rule FROM delivery WHERE sender = ? AND referral_id = ? AND state <> 'SEALED'",
                rs -> {
                    String rule = rs.getString(2);
                    if (CASE_NOTICE.equals(rule)
                            || linkedToExistingCase && Arrays.stream(rule.split(",")).anyMatch(LINKED_CASE::contains)) {
                        given.add(rs.getString(1));
                    }
                }, sender, referralId);
        return given;
    }

    /** The referral's copies never handed to their channel ({@code SEALED}) whose sealed bytes are kept. */
    List<SealedCopy> sealedOf(String sender, String referralId) {
        return copiesOf(sender, referralId, "state = 'SEALED'");
    }

    /**
     * As {@link #sealedOf}, and the referral's queue copies recorded handed over that their provider has not answered
     * yet ({@code DELIVERED}): taken from the intake queue, their sends were part of the intake message's broker
     * transaction, which can roll back after the hand-overs were recorded.
     */
    List<SealedCopy> sealedOrQueuedOf(String sender, String referralId) {
        return copiesOf(sender, referralId, "(state = 'SEALED' OR (state = 'DELIVERED' AND channel = 'QUEUE'))");
    }

    private List<SealedCopy> copiesOf(String sender, String referralId, String stateCondition) {
        return jdbc.query("SELECT " + SEALED_COPY_COLUMNS + " FROM delivery WHERE sender = ? AND referral_id = ? AND "
                        + stateCondition + " AND sealed_envelope IS NOT NULL ORDER BY delivery_id",
                (rs, i) -> sealedCopy(rs), sender, referralId);
    }

    private static SealedCopy sealedCopy(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new SealedCopy(rs.getString("delivery_id"), rs.getString("provider_id"), rs.getString("referral_id"),
                rs.getString("services"), rs.getString("channel"), rs.getBytes("sealed_envelope"));
    }

    /**
     * The provider's copies stored before {@code before} and never handed to their channel ({@code SEALED}), oldest
     * first: one range of the (provider_id, state, created_at) index. A copy whose sealed bytes were erased is not
     * listed: there is nothing left to hand over.
     */
    List<UnsentCopy> sealedBefore(String providerId, OffsetDateTime before) {
        return jdbc.query("SELECT " + SEALED_COPY_COLUMNS + ", sender FROM delivery "
                        + "WHERE provider_id = ? AND state = 'SEALED' AND created_at < ? AND sealed_envelope IS NOT NULL "
                        + "ORDER BY created_at, delivery_id",
                (rs, i) -> new UnsentCopy(rs.getString("sender"), sealedCopy(rs)), providerId, before);
    }

    public Optional<DeliveryRow> find(String deliveryId) {
        return jdbc.query("SELECT " + ROW_COLUMNS + " FROM delivery WHERE delivery_id = ?", DeliveryLedger::row, deliveryId)
                .stream().findFirst();
    }

    /**
     * Copies the provider has not yet accepted or declined, oldest first: one range of the (provider_id, state,
     * created_at) index per open state, as for {@link #OVERDUE}; with {@code state IN (…)} H2 read every copy the
     * provider ever had. A copy not yet fetched whose sealed copy was erased is not listed: there is nothing left to
     * fetch (its deadline still runs, and the coordinator learns of it as of any copy nobody answered). A case notice
     * is listed until it is fetched: it takes no answer, so nothing would ever take it off the list.
     */
    static final String PENDING_FOR = "SELECT " + ROW_COLUMNS + " FROM delivery WHERE provider_id = ? AND state = 'DELIVERED' "
            + "AND sealed_envelope IS NOT NULL "
            + "UNION ALL SELECT " + ROW_COLUMNS + " FROM delivery WHERE provider_id = ? AND state = 'FETCHED' "
            + "AND rule <> '" + CASE_NOTICE + "' ORDER BY created_at, delivery_id";

    public List<DeliveryRow> pendingFor(String providerId) {
        return jdbc.query(PENDING_FOR, DeliveryLedger::row, providerId, providerId);
    }

    /** Marks the copy as handed to its channel with its acknowledgement deadline; true only for the first caller. */
    boolean markDelivered(String deliveryId, OffsetDateTime ackDeadline) {
        return jdbc.update("UPDATE delivery SET state = 'DELIVERED', ack_deadline = ? WHERE delivery_id = ? AND state = 'SEALED'",
                ackDeadline, deliveryId) == 1;
    }

    boolean markFetched(String deliveryId, OffsetDateTime at) {
        return jdbc.update("UPDATE delivery SET state = 'FETCHED', fetched_at = ? WHERE delivery_id = ? AND state = 'DELIVERED'",
                at, deliveryId) == 1;
    }

    boolean acknowledge(String deliveryId, State decision, String reason, OffsetDateTime at) {
        return jdbc.update("UPDATE delivery SET state = ?, ack_decision = ?, ack_reason = ?, acked_at = ? "
                        + "WHERE delivery_id = ? AND state IN ('DELIVERED', 'FETCHED')",
                decision.name(), decision.name(), reason, at, deliveryId) == 1;
    }

    /** The provider has finished with the case: frees its place in {@link OpenCases} at once. */
    boolean close(String deliveryId, OffsetDateTime at) {
        return jdbc.update("UPDATE delivery SET state = 'CLOSED', closed_at = ? WHERE delivery_id = ? AND state = 'ACCEPTED'",
                at, deliveryId) == 1;
    }

    boolean escalate(String deliveryId, String reason) {
        return jdbc.update("UPDATE delivery SET state = 'ESCALATED', ack_reason = ? WHERE delivery_id = ? AND state IN ('SEALED', 'DELIVERED', 'FETCHED')",
                reason, deliveryId) == 1;
    }

    /**
     * One range of the (state, ack_deadline) index per open state: with {@code state IN (…)} H2 looked up each state
     * and then read every open copy of it, overdue or not, once a minute (4–8 s with 600 000 open copies stored).
     */
    static final String OVERDUE = "SELECT delivery_id, ack_deadline FROM delivery WHERE state = 'DELIVERED' AND ack_deadline < ? "
            + "AND provider_id <> ? UNION ALL SELECT delivery_id, ack_deadline FROM delivery WHERE state = 'FETCHED' "
            + "AND ack_deadline < ? AND provider_id <> ? ORDER BY ack_deadline";

    List<String> overdue(OffsetDateTime now) {
        return jdbc.query(OVERDUE, (rs, i) -> rs.getString(1), now, registry.coordinator(), now, registry.coordinator());
    }

    /** A provider's copies still waiting for its answer (not case notices, which take none). */
    List<String> awaitingAnswerFrom(String providerId) {
        return jdbc.query("SELECT delivery_id FROM delivery WHERE provider_id = ? AND state IN ('DELIVERED', 'FETCHED') "
                + "AND ack_deadline IS NOT NULL", (rs, i) -> rs.getString(1), providerId);
    }

    /** The sender and referral id of a copy. */
    Optional<String[]> referralOf(String deliveryId) {
        return jdbc.query("SELECT sender, referral_id FROM delivery WHERE delivery_id = ?",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, deliveryId).stream().findFirst();
    }

    /** The states in which a copy holds a place at its provider ({@link org.referralbus.routing.OpenCases}). */
    private static final List<State> HOLDING_A_PLACE = List.of(State.SEALED, State.DELIVERED, State.FETCHED, State.ACCEPTED);

    /**
     * Referrals per capped provider with a copy created since a time and still holding a place. One range of the
     * (provider_id, state, created_at) index per provider and state: with {@code provider_id IN (…) AND state IN (…)}
     * H2 read every copy the providers ever had, on every routing to them and under their capacity lock.
     */
    static String openSince(int providers, boolean excludingOneReferral) {
        String branch = "SELECT provider_id, referral_id FROM delivery WHERE provider_id = ? AND state = ? AND created_at > ? "
                + "AND rule <> '" + CASE_NOTICE + "'" // a notice holds no place: the referral's own copy does, until closed
                + (excludingOneReferral ? " AND NOT (sender = ? AND referral_id = ?)" : "");
        return "SELECT provider_id, COUNT(DISTINCT referral_id) FROM ("
                + String.join(" UNION ALL ", Collections.nCopies(providers * HOLDING_A_PLACE.size(), branch))
                + ") holding GROUP BY provider_id";
    }

    static Object[] openSinceArguments(OffsetDateTime since, java.util.Collection<String> providerIds, String sender,
                                       String referralId) {
        List<Object> arguments = new java.util.ArrayList<>();
        for (String provider : providerIds) {
            for (State state : HOLDING_A_PLACE) {
                arguments.addAll(List.of(provider, state.name(), since));
                if (sender != null && referralId != null) {
                    arguments.addAll(List.of(sender, referralId));
                }
            }
        }
        return arguments.toArray();
    }

    @Override
    public Map<String, Integer> perProviderSince(OffsetDateTime since, java.util.Collection<String> providerIds, String sender,
                                                 String referralId) {
        Map<String, Integer> open = new HashMap<>();
        if (providerIds.isEmpty()) {
            return open;
        }
        jdbc.query(openSince(providerIds.size(), sender != null && referralId != null),
                rs -> {
                    open.put(rs.getString(1), rs.getInt(2));
                }, openSinceArguments(since, providerIds, sender, referralId));
        return open;
    }

    /** Oldest copy first, so the provider that first received a service keeps it; none that declined it or let it lapse. */
    @Override
    public Map<ServiceCode, String> firstProviderPerService(String sender, List<String> referralIds) {
        if (referralIds.isEmpty()) {
            return Map.of();
        }
        Map<ServiceCode, String> byService = new LinkedHashMap<>();
        // Not a provider that declined the person's need or let it lapse: the next referral went straight back to it.
        // The case's referrals are one array parameter, so the statement's text does not change as a case grows (see
        // PersonEncodingStore.candidates on H2's statement cache).
        jdbc.query("SELECT provider_id, services FROM delivery WHERE sender = ? AND provider_id <> ? AND referral_id = ANY(?)"
                        + " AND state NOT IN ('DECLINED', 'ESCALATED') ORDER BY created_at, delivery_id",
                rs -> {
                    for (String service : rs.getString(2).split(",")) {
                        byService.putIfAbsent(ServiceCode.fromValue(service), rs.getString(1));
                    }
                }, sender, registry.coordinator(), referralIds.toArray(String[]::new));
        return byService;
    }

    private static DeliveryRow row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new DeliveryRow(rs.getString("delivery_id"), rs.getString("sender"), rs.getString("referral_id"),
                rs.getString("provider_id"), Arrays.asList(rs.getString("services").split(",")), State.valueOf(rs.getString("state")),
                rs.getString("channel"), rs.getString("urgency"), rs.getObject("created_at", OffsetDateTime.class), rs.getString("rule"));
    }
}

package org.referralbus.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.referralbus.cli.ReferralBusCommandLine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The promises a crash must not break, checked after the fact on a PostgreSQL database and a broker that several bus
 * nodes shared: every receipted referral reached its terminal state ({@code ROUTED}, the receipt answered is the
 * one stored, every need and delivery {@code DELIVERED}); each provider its routing decisions (the need rows) chose
 * holds exactly one copy of it on {@code deliveries.<provider>} (browsed with that provider's certificate) and the
 * trail one DELIVERED event for it; no referral or delivery anywhere is left half-processed; no queue holds a copy of
 * a referral never receipted; and {@code audit verify}, the auditors' subcommand, exits 0 on the database. A provider
 * that consumed its queue meanwhile ({@link AmqpFailoverConsumer}) counts each distinct delivery id it received as a
 * copy: a message in flight when a broker died comes again with the same id, which the provider drops, as
 * docs/integrators.md tells it to.
 */
public final class CrashEndState {

    private final String databaseUrl;
    private final int brokerPort;
    private final Map<String, Map<String, Set<String>>> consumed;

    /** For the database and the active broker's participants' acceptor. */
    public CrashEndState(String databaseUrl, int brokerPort) {
        this(databaseUrl, brokerPort, Map.of());
    }

    /** As above, where {@code consumed} holds, per provider, the delivery ids per referral its consumer received. */
    public CrashEndState(String databaseUrl, int brokerPort, Map<String, Map<String, Set<String>>> consumed) {
        this.databaseUrl = databaseUrl;
        this.brokerPort = brokerPort;
        this.consumed = consumed;
    }

    /**
     * Problems found, one line each, for the {@code receipts} of one run (referral id to receipt body) and
     * {@code everReceipted}, every referral id receipted so far on this database and broker.
     */
    public List<String> problems(Map<String, String> receipts, Set<String> everReceipted) throws Exception {
        List<String> problems = new ArrayList<>();
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(databaseUrl, "postgres", "", true);
        try {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            Map<String, List<String>> decisions = grouped(jdbc, "SELECT referral_id, provider_id FROM referral_need");
            problems.addAll(referralRows(jdbc, receipts, decisions));
            problems.addAll(halfProcessed(jdbc));
            problems.addAll(queueCopies(receipts, decisions, everReceipted));
        } finally {
            dataSource.destroy();
        }
        problems.addAll(auditVerify());
        return problems;
    }

    private List<String> referralRows(JdbcTemplate jdbc, Map<String, String> receipts, Map<String, List<String>> decisions) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> referrals = new HashMap<>();
        jdbc.queryForList("SELECT referral_id, state, receipt_json FROM referral WHERE sender = ?", SteadySubmitter.SENDER)
                .forEach(row -> referrals.put((String) row.get("referral_id"), row));
        Map<String, List<String>> deliveries = grouped(jdbc, "SELECT referral_id, provider_id || ':' || state FROM delivery");
        Map<String, List<String>> needs = grouped(jdbc, "SELECT referral_id, service || ':' || state FROM referral_need");
        Map<String, List<String>> delivered = grouped(jdbc,
                "SELECT referral_id, counterpart FROM audit_event WHERE event_type = 'DELIVERED' AND referral_id IS NOT NULL");
        for (Map.Entry<String, String> receipt : receipts.entrySet()) {
            String id = receipt.getKey();
            Map<String, Object> row = referrals.get(id);
            List<String> chosen = chosen(decisions, id);
            if (row == null) {
                problems.add(id + ": receipted but no referral row");
                continue;
            }
            if (!"ROUTED".equals(row.get("state")) || !receipt.getValue().equals(row.get("receipt_json"))) {
                problems.add(id + ": referral " + row.get("state") + ", receipt stored equals the one answered: "
                        + receipt.getValue().equals(row.get("receipt_json")));
            }
            if (!chosen.equals(SteadySubmitter.PROVIDERS)) {
                problems.add(id + ": routed to " + chosen + ", expected " + SteadySubmitter.PROVIDERS);
            }
            if (!sorted(deliveries.get(id)).equals(chosen.stream().map(p -> p + ":DELIVERED").toList())) {
                problems.add(id + ": delivery rows " + sorted(deliveries.get(id)) + " for providers chosen " + chosen);
            }
            if (sorted(needs.get(id)).stream().anyMatch(need -> !need.endsWith(":DELIVERED"))) {
                problems.add(id + ": need rows " + sorted(needs.get(id)));
            }
            if (!sorted(delivered.get(id)).equals(chosen)) {
                problems.add(id + ": DELIVERED audit events for " + sorted(delivered.get(id)) + ", providers chosen " + chosen);
            }
        }
        return problems;
    }

    private List<String> halfProcessed(JdbcTemplate jdbc) {
        List<String> problems = new ArrayList<>();
        jdbc.queryForList("SELECT referral_id, state FROM referral WHERE state <> 'ROUTED'")
                .forEach(row -> problems.add(row.get("referral_id") + ": left " + row.get("state")));
        jdbc.queryForList("SELECT referral_id, provider_id, state FROM delivery WHERE state <> 'DELIVERED'")
                .forEach(row -> problems.add(row.get("referral_id") + ": delivery to " + row.get("provider_id") + " left " + row.get("state")));
        return problems;
    }

    private List<String> queueCopies(Map<String, String> receipts, Map<String, List<String>> decisions, Set<String> everReceipted)
            throws Exception {
        List<String> problems = new ArrayList<>();
        for (String provider : SteadySubmitter.PROVIDERS) {
            Map<String, Integer> copies = copiesOn(provider);
            consumed.getOrDefault(provider, Map.of()).forEach((id, deliveryIds) -> copies.merge(id, deliveryIds.size(), Integer::sum));
            for (String id : receipts.keySet()) {
                int expected = chosen(decisions, id).contains(provider) ? 1 : 0;
                int count = copies.getOrDefault(id, 0);
                if (count != expected) {
                    problems.add(id + ": " + count + " copies on deliveries." + provider + ", expected " + expected);
                }
            }
            copies.keySet().removeAll(everReceipted);
            if (!copies.isEmpty()) {
                problems.add("deliveries." + provider + " holds copies of referrals never receipted: " + copies);
            }
        }
        return problems;
    }

    private Map<String, Integer> copiesOn(String provider) throws Exception {
        Map<String, Integer> copies = new TreeMap<>();
        BrokerClients.browseOwnQueue(brokerPort, provider,
                message -> copies.merge(message.getStringProperty("referralBusReferralId"), 1, Integer::sum));
        return copies;
    }

    private List<String> auditVerify() {
        StringWriter output = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(output), "audit", "verify", "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=postgres", "--spring.datasource.password=");
        return exit == 0 && output.toString().contains("intact") ? List.of()
                : List.of("audit verify exited " + exit + ": " + output.toString().strip());
    }

    private static Map<String, List<String>> grouped(JdbcTemplate jdbc, String sql) {
        Map<String, List<String>> byReferral = new HashMap<>();
        jdbc.query(sql, rs -> {
            byReferral.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        });
        return byReferral;
    }

    /** The providers the routing decisions (one need row per service) chose for a referral. */
    private static List<String> chosen(Map<String, List<String>> decisions, String referralId) {
        return sorted(decisions.get(referralId)).stream().distinct().toList();
    }

    private static List<String> sorted(List<String> values) {
        return values == null ? List.of() : values.stream().sorted().toList();
    }
}

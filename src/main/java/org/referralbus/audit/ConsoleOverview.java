package org.referralbus.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the console shows about referrals: progress of each, stuck ones, and the two charts. Built from the trail
 * in one pass; national volumes are hundreds of referrals a year, so reading their rows per request is cheap
 * (a larger deployment would keep a projection table instead).
 */
@Component
class ConsoleOverview {

    /** Referrals per day by sender: {@code counts[sender][i]} belongs to {@code days[i]}. */
    record PerDay(List<String> days, Map<String, List<Integer>> counts) {
    }

    /** Seconds from receipt to first delivery and to acceptance, one entry per referral that got there. */
    record TimeToOutcome(String referralId, String sender, Long secondsToDelivery, Long secondsToAcceptance) {
    }

    private final AuditRows rows;
    private final Clock clock;

    ConsoleOverview(JdbcTemplate jdbc, Clock clock) {
        this.rows = new AuditRows(jdbc);
        this.clock = clock;
    }

    List<ReferralProgress> referrals() {
        Map<String, OffsetDateTime> receivedByEnvelope = new LinkedHashMap<>();
        rows.receivedEnvelopes(rs -> {
                    receivedByEnvelope.putIfAbsent(rs.getString(1).trim(), rs.getObject(2, OffsetDateTime.class));
                });
        Map<String, Builder> byReferral = new LinkedHashMap<>();
        rows.referralRows(rs -> {
                    Builder b = byReferral.computeIfAbsent(rs.getString(1), Builder::new);
                    String type = rs.getString(2);
                    OffsetDateTime at = AuditChain.normalise(rs.getObject(3, OffsetDateTime.class));
                    String envelope = rs.getString(6);
                    if (type.equals("VALIDATED") || b.sender == null && !type.equals("DELIVERED")) {
                        b.sender = rs.getString(4);
                    }
                    if (b.receivedAt == null) {
                        OffsetDateTime received = envelope == null ? null : receivedByEnvelope.get(envelope.trim());
                        b.receivedAt = received != null ? AuditChain.normalise(received) : at;
                    }
                    if (type.equals("DELIVERED")) {
                        if (b.delivered == null) {
                            b.delivered = at;
                        }
                        if (rs.getString(5) != null && !b.providers.contains(rs.getString(5))) {
                            b.providers.add(rs.getString(5));
                        }
                    }
                    if (type.equals("DELIVERED") && rs.getString(5) != null) {
                        b.awaiting.add(rs.getString(5));
                    }
                    if (type.equals("ACKNOWLEDGED") || type.equals("DECLINED")) {
                        b.awaiting.remove(rs.getString(4));
                    }
                    if (type.equals("ACKNOWLEDGED") && b.accepted == null) {
                        b.accepted = at;
                    }
                    b.lastStep = type;
                    b.lastStepAt = at;
                });
        List<ReferralProgress> all = new ArrayList<>();
        byReferral.values().forEach(b -> all.add(b.build()));
        all.sort(Comparator.comparing(ReferralProgress::receivedAt).reversed());
        return all;
    }

    List<ReferralProgress> search(String query) {
        String q = query == null ? "" : query.trim().toLowerCase(java.util.Locale.ROOT);
        return referrals().stream()
                .filter(r -> q.isEmpty() || r.referralId().toLowerCase(java.util.Locale.ROOT).contains(q)
                        || r.sender() != null && r.sender().contains(q) || r.providers().contains(q))
                .limit(200)
                .toList();
    }

    List<ReferralProgress> stuck(Duration after) {
        OffsetDateTime before = OffsetDateTime.now(clock).minus(after);
        return referrals().stream().filter(r -> !r.finished() && !r.lastStepAt().isAfter(before)).toList();
    }

    PerDay perDay(List<ReferralProgress> referrals) {
        TreeSet<String> days = new TreeSet<>();
        Map<String, Map<String, Integer>> bySender = new TreeMap<>();
        for (ReferralProgress r : referrals) {
            String day = r.receivedAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toString();
            days.add(day);
            bySender.computeIfAbsent(String.valueOf(r.sender()), s -> new TreeMap<>()).merge(day, 1, Integer::sum);
        }
        List<String> dayList = new ArrayList<>(days);
        Map<String, List<Integer>> counts = new LinkedHashMap<>();
        bySender.forEach((sender, perDay) -> counts.put(sender, dayList.stream().map(d -> perDay.getOrDefault(d, 0)).toList()));
        return new PerDay(dayList, counts);
    }

    List<TimeToOutcome> timeToOutcome(List<ReferralProgress> referrals) {
        return referrals.stream().filter(r -> r.delivered() != null || r.accepted() != null)
                .map(r -> new TimeToOutcome(r.referralId(), r.sender(), seconds(r.receivedAt(), r.delivered()),
                        seconds(r.receivedAt(), r.accepted())))
                .toList();
    }

    private static Long seconds(OffsetDateTime from, OffsetDateTime to) {
        return to == null ? null : Math.max(0, Duration.between(from, to).toSeconds());
    }

    private static final class Builder {
        final String referralId;
        String sender;
        OffsetDateTime receivedAt;
        String lastStep;
        OffsetDateTime lastStepAt;
        OffsetDateTime delivered;
        OffsetDateTime accepted;
        final List<String> providers = new ArrayList<>();
        final java.util.Set<String> awaiting = new java.util.TreeSet<>();

        Builder(String referralId) {
            this.referralId = referralId;
        }

        ReferralProgress build() {
            return new ReferralProgress(referralId, sender, receivedAt, lastStep, lastStepAt, List.copyOf(providers),
                    delivered, accepted, List.copyOf(awaiting));
        }
    }
}

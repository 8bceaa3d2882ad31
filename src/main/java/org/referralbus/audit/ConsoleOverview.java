package org.referralbus.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * What the console shows about referrals: progress of each, stuck ones, and the two charts. Read from the progress
 * the trail projects ({@link ReferralProgressProjection}), brought up to date first: a request reads the rows appended
 * since the last one and a bounded list, not the whole trail, so its cost does not grow with the years stored.
 */
@Component
class ConsoleOverview {

    /** Referrals listed by a search (and by the empty search: the newest). */
    static final int SEARCH_LIMIT = 200;
    /** Stuck referrals listed, newest first. */
    static final int STUCK_LIMIT = 1_000;
    /** Referrals in the time-to-outcome chart: the newest that reached a provider. */
    static final int OUTCOME_LIMIT = 1_000;

    /** Referrals per day by sender: {@code counts[sender][i]} belongs to {@code days[i]}. */
    record PerDay(List<String> days, Map<String, List<Integer>> counts) {
    }

    /** Seconds from receipt to first delivery and to acceptance, one entry per referral that got there. */
    record TimeToOutcome(String referralId, String sender, Long secondsToDelivery, Long secondsToAcceptance) {
    }

    /** The console's two charts, read after one catch-up. */
    record Charts(PerDay perDay, List<TimeToOutcome> timeToOutcome) {
    }

    private final ReferralProgressProjection projection;
    private final ReferralProgressStore progress;
    private final Clock clock;

    ConsoleOverview(ReferralProgressProjection projection, ReferralProgressStore progress, Clock clock) {
        this.projection = projection;
        this.progress = progress;
        this.clock = clock;
    }

    /** Newest first: the newest referrals for an empty query, else those whose id, sender or provider matches. */
    List<ReferralProgress> search(String query) {
        projection.catchUp();
        String q = query == null ? "" : query.trim().toLowerCase(Locale.ROOT);
        return q.isEmpty() ? progress.newest(SEARCH_LIMIT) : progress.matching(q, SEARCH_LIMIT);
    }

    List<ReferralProgress> stuck(Duration after) {
        projection.catchUp();
        return progress.stuck(OffsetDateTime.now(clock).minus(after), STUCK_LIMIT);
    }

    Charts charts() {
        projection.catchUp();
        return new Charts(perDay(), timeToOutcome());
    }

    /** Every day with a referral received (UTC), counted by sender. */
    private PerDay perDay() {
        TreeSet<String> days = new TreeSet<>();
        Map<String, Map<String, Integer>> bySender = new TreeMap<>();
        progress.eachDay((daySender, referrals) -> {
            String day = daySender.day().toString();
            days.add(day);
            bySender.computeIfAbsent(daySender.sender(), s -> new TreeMap<>()).merge(day, referrals, Integer::sum);
        });
        List<String> dayList = new ArrayList<>(days);
        Map<String, List<Integer>> counts = new LinkedHashMap<>();
        bySender.forEach((sender, perDay) -> counts.put(sender, dayList.stream().map(d -> perDay.getOrDefault(d, 0)).toList()));
        return new PerDay(dayList, counts);
    }

    private List<TimeToOutcome> timeToOutcome() {
        return progress.newestWithOutcome(OUTCOME_LIMIT).stream()
                .map(r -> new TimeToOutcome(r.referralId(), r.sender(), seconds(r.receivedAt(), r.delivered()),
                        seconds(r.receivedAt(), r.accepted())))
                .toList();
    }

    private static Long seconds(OffsetDateTime from, OffsetDateTime to) {
        return to == null ? null : Math.max(0, Duration.between(from, to).toSeconds());
    }
}

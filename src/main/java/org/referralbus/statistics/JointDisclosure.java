package org.referralbus.statistics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * Sibling queries checked together: for one grid period, everything published so far (by earlier answers, from
 * {@link Releases}, and by this request's tables) must not determine a secret, a cell suppressed and never published.
 * Implementation note: each cell is the 0/1 vector of the period's referrals it counts, over every dimension at once,
 * so any total or difference across tables of different dimensions, resolutions ({@code periods}, {@code ageBands})
 * or requests is a linear combination; {@link LinearSpan} decides membership exactly. A table that would expose a
 * secret hides more of its own cells (the smallest that suffices, else all); when even that cannot help, the
 * secret is already determined and the query is refused.
 */
final class JointDisclosure {

    private final List<Fact> facts;
    private final LinearSpan published = new LinearSpan();
    private final Set<String> publishedPredicates = new HashSet<>();
    private final Map<String, long[]> secrets = new LinkedHashMap<>();
    private final Map<String, Boolean> released = new LinkedHashMap<>();

    JointDisclosure(List<Fact> facts, List<Releases.Release> prior) {
        this.facts = List.copyOf(facts);
        for (Releases.Release release : prior) {
            if (release.published()) {
                publishedPredicates.add(release.predicate());
                published.add(vector(Predicate.parse(release.predicate())));
            }
        }
        for (Releases.Release release : prior) {
            if (!release.published() && !publishedPredicates.contains(release.predicate())) {
                secrets.put(release.predicate(), vector(Predicate.parse(release.predicate())));
            }
        }
    }

    /** Cells of {@code table} to suppress so that no secret is determined; empty when none is. */
    List<List<String>> nextToHide(Tabulation.Table table, Granularity periods, boolean minorOrAdult) {
        Map<List<String>, long[]> open = new LinkedHashMap<>();
        table.cells().keySet().stream().filter(table::published)
                .sorted(Comparator.<List<String>>comparingLong(key -> table.cells().get(key).count).thenComparing(Tabulation.KEY_ORDER))
                .forEach(key -> open.put(key, vector(predicate(table, key, periods, minorOrAdult))));
        Map<String, long[]> allSecrets = new LinkedHashMap<>(secrets);
        for (List<String> key : table.suppressed()) {
            String predicate = predicate(table, key, periods, minorOrAdult).toString();
            if (!publishedPredicates.contains(predicate)) {
                allSecrets.putIfAbsent(predicate, vector(Predicate.parse(predicate)));
            }
        }
        LinearSpan all = with(open, null);
        long[] exposed = allSecrets.values().stream().filter(all::contains).findFirst().orElse(null);
        if (exposed == null) {
            return List.of();
        }
        for (List<String> candidate : open.keySet()) {
            if (!with(open, candidate).contains(exposed)) {
                return List.of(candidate);
            }
        }
        if (!open.isEmpty()) {
            return List.copyOf(open.keySet());
        }
        throw new ReferralBusException(ErrorCode.INVALID_REQUEST,
                "Earlier answers and this one together would reveal a small count; ask for fewer or other dimensions");
    }

    /** Takes a finished table's cells as released. */
    void commit(Tabulation.Table table, Granularity periods, boolean minorOrAdult) {
        for (List<String> key : table.cells().keySet()) {
            Predicate predicate = predicate(table, key, periods, minorOrAdult);
            String text = predicate.toString();
            if (table.published(key)) {
                publishedPredicates.add(text);
                published.add(vector(predicate));
                secrets.remove(text);
                released.put(text, true);
            } else if (!publishedPredicates.contains(text)) {
                secrets.putIfAbsent(text, vector(predicate));
                released.putIfAbsent(text, false);
            }
        }
    }

    /** What this request released, to add to {@link Releases}. */
    List<Releases.Release> released() {
        List<Releases.Release> releases = new ArrayList<>();
        released.forEach((predicate, isPublished) -> releases.add(new Releases.Release(predicate, isPublished)));
        return releases;
    }

    private LinearSpan with(Map<List<String>, long[]> open, List<String> without) {
        LinearSpan span = published.copy();
        open.forEach((key, vector) -> {
            if (!key.equals(without)) {
                span.add(vector);
            }
        });
        return span;
    }

    private static Predicate predicate(Tabulation.Table table, List<String> key, Granularity periods, boolean minorOrAdult) {
        return Predicate.of(table.dimensions(), key, periods, minorOrAdult);
    }

    private long[] vector(Predicate predicate) {
        long[] vector = new long[facts.size()];
        for (int i = 0; i < facts.size(); i++) {
            vector[i] = predicate.holds(facts.get(i)) ? 1 : 0;
        }
        return vector;
    }
}

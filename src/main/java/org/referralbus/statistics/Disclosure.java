package org.referralbus.statistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a table and its margins, as published, determine a suppressed count exactly. Implementation note: every
 * count is the sum over referral profiles (each referral's values in the table's dimensions, sets for multi-valued
 * ones) that match the cell, so every published count is a 0/1 vector over the profiles, and a suppressed count is
 * revealed exactly when its vector lies in the span of the published ones, whatever totals and differences one takes.
 */
final class Disclosure {

    /** A count of the table or of one of its margins. */
    record Quantity(Tabulation.Table table, List<String> key) {
    }

    private final Tabulation.Table table;
    private final Collection<Tabulation.Table> margins;
    private final List<List<List<String>>> profiles;

    Disclosure(Tabulation tabulation, List<Fact> facts, Tabulation.Table table, Collection<Tabulation.Table> margins) {
        this.table = table;
        this.margins = margins;
        Map<List<List<String>>, Boolean> distinct = new LinkedHashMap<>();
        for (Fact fact : facts) {
            List<List<String>> profile = new ArrayList<>();
            for (Dimension dimension : table.dimensions()) {
                profile.add(tabulation.valuesOf(fact, dimension));
            }
            distinct.put(List.copyOf(profile), true);
        }
        this.profiles = List.copyOf(distinct.keySet());
    }

    /** Cells of the table that the published margins alone determine: hiding them would hide nothing. */
    List<List<String>> impliedByMargins() {
        LinearSpan margins = new LinearSpan();
        for (Tabulation.Table margin : this.margins) {
            margin.cells().keySet().stream().filter(margin::published).forEach(key -> margins.add(vector(new Quantity(margin, key))));
        }
        return table.cells().keySet().stream().filter(key -> margins.contains(vector(new Quantity(table, key)))).toList();
    }

    /** The first suppressed count (the table's, then its margins') that the published counts determine; null if none. */
    Quantity firstExposed() {
        LinearSpan published = published(null);
        for (Quantity quantity : suppressed()) {
            if (published.contains(vector(quantity))) {
                return quantity;
            }
        }
        return null;
    }

    /**
     * A published cell of the table to suppress next: of those that share a line with the exposed count (or sum to it,
     * for a margin), the smallest whose suppression hides it; else the smallest of them; null if there is none.
     */
    List<String> complementFor(Quantity exposed) {
        List<List<String>> candidates = table.cells().keySet().stream()
                .filter(key -> !table.suppressed().contains(key) && related(exposed, key))
                .sorted(Comparator.<List<String>>comparingLong(key -> table.cells().get(key).count)
                        .thenComparing(Tabulation.KEY_ORDER))
                .toList();
        long[] target = vector(exposed);
        for (List<String> candidate : candidates) {
            if (!published(candidate).contains(target)) {
                return candidate;
            }
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    private boolean related(Quantity exposed, List<String> key) {
        if (exposed.table() != table) {
            return matches(exposed.table(), exposed.key(), key);
        }
        int differing = 0;
        for (int i = 0; i < key.size(); i++) {
            if (!key.get(i).equals(exposed.key().get(i))) {
                differing++;
            }
        }
        return differing == 1;
    }

    /** Whether the table cell {@code key} lies within the margin cell {@code marginKey}. */
    private boolean matches(Tabulation.Table margin, List<String> marginKey, List<String> key) {
        for (int i = 0; i < margin.dimensions().size(); i++) {
            int at = table.dimensions().indexOf(margin.dimensions().get(i));
            if (!key.get(at).equals(marginKey.get(i))) {
                return false;
            }
        }
        return true;
    }

    private List<Quantity> suppressed() {
        List<Quantity> quantities = new ArrayList<>();
        table.suppressed().stream().sorted(Tabulation.KEY_ORDER).forEach(key -> quantities.add(new Quantity(table, key)));
        for (Tabulation.Table margin : margins) {
            margin.suppressed().stream().sorted(Tabulation.KEY_ORDER).forEach(key -> quantities.add(new Quantity(margin, key)));
        }
        return quantities;
    }

    /** The span of everything published, with {@code alsoHidden} (a cell of the table) taken as suppressed too. */
    private LinearSpan published(List<String> alsoHidden) {
        LinearSpan span = new LinearSpan();
        for (Tabulation.Table margin : margins) {
            margin.cells().keySet().stream().filter(margin::published).forEach(key -> span.add(vector(new Quantity(margin, key))));
        }
        table.cells().keySet().stream().filter(table::published).filter(key -> !key.equals(alsoHidden))
                .forEach(key -> span.add(vector(new Quantity(table, key))));
        return span;
    }

    private long[] vector(Quantity quantity) {
        List<Dimension> dimensions = quantity.table().dimensions();
        long[] vector = new long[profiles.size()];
        for (int p = 0; p < profiles.size(); p++) {
            boolean match = true;
            for (int i = 0; i < dimensions.size() && match; i++) {
                match = profiles.get(p).get(table.dimensions().indexOf(dimensions.get(i))).contains(quantity.key().get(i));
            }
            vector[p] = match ? 1 : 0;
        }
        return vector;
    }
}

package org.referralbus.statistics;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * Counts with suppression, for one request's facts. Implementation note: the invariants, for every table (a range on
 * the grid and a set of dimensions):
 * <ol>
 *   <li>primary: a cell of fewer than k people is suppressed;</li>
 *   <li>margins are the tables of the smaller dimension sets, computed the same way: a query by fewer dimensions
 *       publishes exactly the margins of a query by more, so two queries differing by one dimension reveal no more
 *       than the larger one;</li>
 *   <li>ranges: a cell of a range spanning several grid periods is suppressed if it is suppressed in any one of them,
 *       so every number published for a range is a sum of numbers published for its periods, and two ranges never
 *       differ by a suppressed count;</li>
 *   <li>complementary: along each single-valued dimension, a line whose margin is published holds no suppressed cell
 *       or at least two totalling k or more, and a line whose margin is suppressed holds a suppressed cell;</li>
 *   <li>exact: no suppressed cell or margin is a linear combination of the published ones, checked over the referrals'
 *       value profiles ({@link LinearSpan}); failing that, more cells are suppressed, at worst all of the table's;</li>
 *   <li>joint: within each grid period, no cell ever suppressed and never published is a linear combination of
 *       everything published for that period by any answer, whatever its dimensions ({@link JointDisclosure}, over
 *       {@link Releases}).</li>
 * </ol>
 * The counted unit is the referral, the suppression unit the person (distinct cases).
 */
final class Tabulation {

    static final Comparator<List<String>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    /** The referrals of one cell. */
    static final class Cell {
        long count;
        final Set<String> people = new HashSet<>();
        final List<Duration> toAcceptance = new ArrayList<>();
    }

    /** Cells keyed by their values in the dimensions' declaration order. */
    record Table(LocalDate from, LocalDate to, List<Dimension> dimensions, Map<List<String>, Cell> cells,
                 Set<List<String>> suppressed) {

        boolean published(List<String> key) {
            return cells.containsKey(key) && !suppressed.contains(key);
        }
    }

    private record TableKey(LocalDate from, LocalDate to, Set<Dimension> dimensions) {
    }

    private final List<Fact> facts;
    private final Granularity periods;
    private final boolean minorOrAdult;
    private final int k;
    private final Granularity grid;
    private final Releases releases;
    private final Map<TableKey, Table> tables = new HashMap<>();
    private final Map<LocalDate, JointDisclosure> joint = new TreeMap<>();

    Tabulation(List<Fact> facts, Granularity periods, boolean minorOrAdult, int k, Granularity grid, Releases releases) {
        this.facts = List.copyOf(facts);
        this.periods = periods;
        this.minorOrAdult = minorOrAdult;
        this.k = k;
        this.grid = grid;
        this.releases = releases;
    }

    /** Adds what this request's tables released, period by period, to {@link Releases}: call once the answer stands. */
    void recordReleases() {
        joint.forEach((period, disclosure) -> releases.add(grid, period, disclosure.released()));
    }

    Table table(LocalDate from, LocalDate to, Set<Dimension> dimensions) {
        TableKey key = new TableKey(from, to, Set.copyOf(dimensions));
        Table table = tables.get(key);
        if (table == null) {
            table = compute(from, to, ordered(dimensions));
            tables.put(key, table);
        }
        return table;
    }

    static List<Dimension> ordered(Set<Dimension> dimensions) {
        return dimensions.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(dimensions));
    }

    List<String> valuesOf(Fact fact, Dimension dimension) {
        return dimension.valuesOf(fact, periods, minorOrAdult);
    }

    private Table compute(LocalDate from, LocalDate to, List<Dimension> dimensions) {
        List<Fact> in = facts.stream().filter(f -> within(f, from, to)).toList();
        Map<List<String>, Cell> cells = new TreeMap<>(KEY_ORDER);
        for (Fact fact : in) {
            for (List<String> key : keys(fact, dimensions)) {
                Cell cell = cells.computeIfAbsent(key, x -> new Cell());
                cell.count++;
                cell.people.add(fact.person());
                if (fact.timeToAcceptance() != null) {
                    cell.toAcceptance.add(fact.timeToAcceptance());
                }
            }
        }
        Set<List<String>> suppressed = new HashSet<>();
        cells.forEach((key, cell) -> {
            if (cell.people.size() < k) {
                suppressed.add(key);
            }
        });
        if (grid.next(from).isBefore(to)) {
            for (LocalDate unit = from; unit.isBefore(to); unit = grid.next(unit)) {
                suppressed.addAll(table(unit, grid.next(unit), Set.copyOf(dimensions)).suppressed());
            }
        }
        suppressed.retainAll(cells.keySet());
        Table table = new Table(from, to, dimensions, cells, suppressed);
        protect(table, in);
        return table;
    }

    private void protect(Table table, List<Fact> in) {
        Map<Set<Dimension>, Table> margins = new HashMap<>();
        for (Set<Dimension> subset : properSubsets(table.dimensions())) {
            margins.put(subset, table(table.from(), table.to(), subset));
        }
        Disclosure disclosure = new Disclosure(this, in, table, margins.values());
        // A cell the margins already determine is published: hiding it would hide nothing. If it is small, the margins
        // of sibling queries reveal it together; this query refuses rather than pretend to protect it.
        for (List<String> known : disclosure.impliedByMargins()) {
            if (table.cells().get(known).people.size() < k) {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST,
                        "These dimensions cannot be crossed without revealing a small count; ask for fewer");
            }
            table.suppressed().remove(known);
        }
        boolean everything = false;
        while (true) {
            while (applyLineRule(table, margins)) {
                // until no line needs another suppressed cell
            }
            Disclosure.Quantity exposed = disclosure.firstExposed();
            if (exposed == null) {
                JointDisclosure siblings = siblingsOf(table, in);
                List<List<String>> more = siblings == null ? List.of() : siblings.nextToHide(table, periods, minorOrAdult);
                if (more.isEmpty()) {
                    if (siblings != null) {
                        siblings.commit(table, periods, minorOrAdult);
                    }
                    return;
                }
                table.suppressed().addAll(more);
                continue;
            }
            List<String> complement = disclosure.complementFor(exposed);
            if (complement != null) {
                table.suppressed().add(complement);
            } else if (!everything) {
                table.suppressed().addAll(table.cells().keySet());
                everything = true;
            } else {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST,
                        "These dimensions cannot be crossed without revealing a small count; ask for fewer");
            }
        }
    }

    /** The joint check of the table's grid period; null for a range of several periods (its cells are sums of theirs). */
    private JointDisclosure siblingsOf(Table table, List<Fact> in) {
        if (!grid.next(table.from()).equals(table.to())) {
            return null;
        }
        return joint.computeIfAbsent(table.from(), period -> new JointDisclosure(in, releases.of(grid, period)));
    }

    /** One pass of invariant 4; true if it suppressed a cell. */
    private boolean applyLineRule(Table table, Map<Set<Dimension>, Table> margins) {
        List<Dimension> dimensions = table.dimensions();
        for (int i = 0; i < dimensions.size(); i++) {
            Dimension along = dimensions.get(i);
            if (along.multiValued()) {
                continue;
            }
            Set<Dimension> rest = EnumSet.copyOf(dimensions);
            rest.remove(along);
            Table margin = margins.get(rest.isEmpty() ? Set.of() : Set.copyOf(rest));
            Map<List<String>, List<List<String>>> lines = new TreeMap<>(KEY_ORDER);
            for (List<String> key : table.cells().keySet()) {
                List<String> projected = new ArrayList<>(key);
                projected.remove(i);
                lines.computeIfAbsent(projected, x -> new ArrayList<>()).add(key);
            }
            for (Map.Entry<List<String>, List<List<String>>> line : lines.entrySet()) {
                List<List<String>> hidden = line.getValue().stream().filter(table.suppressed()::contains).toList();
                long hiddenCount = hidden.stream().mapToLong(key -> table.cells().get(key).count).sum();
                boolean marginPublished = margin.published(line.getKey());
                boolean exposed = marginPublished ? !hidden.isEmpty() && (hidden.size() < 2 || hiddenCount < k) : hidden.isEmpty();
                if (exposed) {
                    List<String> next = line.getValue().stream().filter(key -> !table.suppressed().contains(key))
                            .min(Comparator.<List<String>>comparingLong(key -> table.cells().get(key).count).thenComparing(KEY_ORDER))
                            .orElse(null);
                    if (next != null) {
                        table.suppressed().add(next);
                        return true;
                    }
                }
            }
        }
        return false;
    }

    List<List<String>> keys(Fact fact, List<Dimension> dimensions) {
        List<List<String>> keys = new ArrayList<>();
        keys.add(List.of());
        for (Dimension dimension : dimensions) {
            List<List<String>> longer = new ArrayList<>();
            for (List<String> key : keys) {
                for (String value : valuesOf(fact, dimension)) {
                    List<String> next = new ArrayList<>(key);
                    next.add(value);
                    longer.add(List.copyOf(next));
                }
            }
            keys = longer;
        }
        return keys;
    }

    static List<Set<Dimension>> properSubsets(List<Dimension> dimensions) {
        List<Set<Dimension>> subsets = new ArrayList<>();
        int n = dimensions.size();
        for (int mask = 0; mask < (1 << n) - 1; mask++) {
            Set<Dimension> subset = new HashSet<>();
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) != 0) {
                    subset.add(dimensions.get(i));
                }
            }
            subsets.add(Set.copyOf(subset));
        }
        return subsets;
    }

    private static boolean within(Fact fact, LocalDate from, LocalDate to) {
        LocalDate day = fact.receivedAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
        return !day.isBefore(from) && day.isBefore(to);
    }
}

package org.referralbus.statistics;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/**
 * What statistics have released for one grid period: every cell of every table answered, as its {@link Predicate}, and
 * whether it was published or suppressed. A predicate once published stays published; one only ever suppressed is a
 * secret later answers must keep ({@link JointDisclosure}).
 */
interface Releases {

    /** A cell as released: its predicate and whether its count was published. */
    record Release(String predicate, boolean published) {
    }

    List<Release> of(Granularity grid, LocalDate periodStart);

    /** Adds what is new; a predicate already recorded keeps its first status. */
    void add(Granularity grid, LocalDate periodStart, Collection<Release> releases);
}

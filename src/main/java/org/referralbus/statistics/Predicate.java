package org.referralbus.statistics;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell as a condition on a referral's facts, written {@code sex=FEMALE;ageBand@minor-adult=MINOR;period@month=2024-02}
 * ({@code *} for the total): dimension names, the resolution of {@code period} and {@code ageBand}, and codes.
 * Codes hold no {@code ;} or {@code =}.
 */
record Predicate(List<Condition> conditions) {

    static final String TOTAL = "*";

    record Condition(Dimension dimension, Granularity periods, boolean minorOrAdult, String value) {

        boolean holds(Fact fact) {
            return dimension.valuesOf(fact, periods, minorOrAdult).contains(value);
        }
    }

    static Predicate of(List<Dimension> dimensions, List<String> key, Granularity periods, boolean minorOrAdult) {
        List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < dimensions.size(); i++) {
            conditions.add(new Condition(dimensions.get(i), periods, minorOrAdult, key.get(i)));
        }
        return new Predicate(conditions);
    }

    static Predicate parse(String text) {
        List<Condition> conditions = new ArrayList<>();
        if (!text.equals(TOTAL)) {
            for (String part : text.split(";")) {
                String[] nameAndValue = part.split("=", 2);
                String[] name = nameAndValue[0].split("@", 2);
                Dimension dimension = Dimension.byParameter(name[0]).orElseThrow();
                Granularity periods = dimension == Dimension.PERIOD ? Granularity.valueOf(name[1].toUpperCase(java.util.Locale.ROOT))
                        : Granularity.MONTH;
                boolean minorOrAdult = dimension == Dimension.AGE_BAND && name[1].equals("minor-adult");
                conditions.add(new Condition(dimension, periods, minorOrAdult, nameAndValue[1]));
            }
        }
        return new Predicate(conditions);
    }

    boolean holds(Fact fact) {
        return conditions.stream().allMatch(c -> c.holds(fact));
    }

    @Override
    public String toString() {
        if (conditions.isEmpty()) {
            return TOTAL;
        }
        List<String> parts = new ArrayList<>();
        for (Condition c : conditions) {
            String name = c.dimension().parameter();
            if (c.dimension() == Dimension.PERIOD) {
                name += "@" + c.periods().parameter();
            } else if (c.dimension() == Dimension.AGE_BAND) {
                name += "@" + (c.minorOrAdult() ? "minor-adult" : "five-year");
            }
            parts.add(name + "=" + c.value());
        }
        return String.join(";", parts);
    }
}

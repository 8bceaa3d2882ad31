package org.referralbus.statistics;

import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What statistics can count by, under the names the API takes in {@code by}. Exploitation types and services are
 * multi-valued: a referral counts once in each of its own values, so their cells need not add up to the referrals.
 */
public enum Dimension {
    PERIOD("period", false),
    CATEGORY("category", false),
    EXPLOITATION("exploitation", true),
    SEX("sex", false),
    AGE_BAND("ageBand", false),
    NATIONALITY("nationality", false),
    REGION("region", false),
    SENDER("sender", false),
    SERVICE("service", true),
    OUTCOME("outcome", false);

    /** The value a multi-valued dimension takes where the referral gave none. */
    static final String NONE = "NONE";

    private final String parameter;
    private final boolean multiValued;

    Dimension(String parameter, boolean multiValued) {
        this.parameter = parameter;
        this.multiValued = multiValued;
    }

    public String parameter() {
        return parameter;
    }

    boolean multiValued() {
        return multiValued;
    }

    public static Optional<Dimension> byParameter(String name) {
        return Arrays.stream(values()).filter(d -> d.parameter.equals(name)).findFirst();
    }

    public static List<String> parameters() {
        return Arrays.stream(values()).map(Dimension::parameter).toList();
    }

    /** The values of this dimension for one referral: one, or for a multi-valued dimension one or more. */
    List<String> valuesOf(Fact fact, Granularity periods, boolean minorOrAdult) {
        return switch (this) {
            case PERIOD -> List.of(periods.label(fact.receivedAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate()));
            case CATEGORY -> List.of(fact.category());
            case EXPLOITATION -> fact.exploitation().isEmpty() ? List.of(NONE) : fact.exploitation();
            case SEX -> List.of(fact.sex());
            case AGE_BAND -> List.of(minorOrAdult ? AgeBand.minorOrAdult(fact.ageBand()) : fact.ageBand());
            case NATIONALITY -> List.of(fact.nationality());
            case REGION -> List.of(fact.region());
            case SENDER -> List.of(fact.sender());
            case SERVICE -> fact.services().isEmpty() ? List.of(NONE) : fact.services();
            case OUTCOME -> List.of(fact.outcome().name());
        };
    }
}

package org.referralbus.system;

import java.util.Locale;
import java.util.Optional;

/**
 * A {@code referral-bus.*} setting the bus does not read, as written ({@code referral-bus.statistics.kk},
 * {@code REFERRAL_BUS_STATISTICS_KK}), where it was set if Spring knows, and the known name it is probably a slip of.
 * Names only: a value may be a secret.
 */
public record UnknownSetting(String name, Optional<String> where, Optional<String> nearest, boolean environmentVariable) {

    /** "referral-bus.statistics.kk (class path resource [application.yaml] - 3:5) is not a setting of the bus; did you mean …?" */
    public String sentence() {
        return name + where.map(origin -> " (" + origin + ")").orElse("") + " is not a setting of the bus and would be ignored"
                + nearest.map(known -> "; did you mean " + known + (environmentVariable ? " (" + variable(known) + ")" : "") + "?")
                        .orElse("");
    }

    /** The environment variable Spring reads for {@code name}, as operators.md writes them (REFERRAL_BUS_DATA_DIR). */
    static String variable(String name) {
        return name.replaceAll("[.-]", "_").toUpperCase(Locale.ROOT);
    }
}

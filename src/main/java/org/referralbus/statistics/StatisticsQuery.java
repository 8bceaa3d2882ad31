package org.referralbus.statistics;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * One statistics request, checked: a range {@code [from, to)} of closed periods on the configured grid, the
 * dimensions to cross (in the order asked), the length of the {@code period} dimension's periods, and whether age
 * bands are five-year bands or only minor/adult.
 */
public record StatisticsQuery(LocalDate from, LocalDate to, List<Dimension> by, Granularity periods, boolean minorOrAdult) {

    public StatisticsQuery {
        by = List.copyOf(by);
    }

    /**
     * @param today the current day (UTC): the period holding it is still open and cannot be asked for
     */
    public static StatisticsQuery parse(String from, String to, String by, String periods, String ageBands,
                                        StatisticsProperties properties, LocalDate today) {
        Granularity grid = properties.grid();
        LocalDate open = grid.start(today);
        LocalDate end = to == null || to.isBlank() ? open : date("to", to);
        LocalDate start = from == null || from.isBlank() ? grid.start(end.minusYears(1)) : date("from", from);
        if (!grid.isStart(start) || !grid.isStart(end)) {
            throw new ReferralBusException(ErrorCode.PERIOD_TOO_FINE, "from and to must each be the first day of a "
                    + grid.parameter() + " (the statistics grid), e.g. " + open + "; was from=" + start + ", to=" + end);
        }
        if (!start.isBefore(end)) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "from must be before to (to is exclusive)");
        }
        if (end.isAfter(open)) {
            throw new ReferralBusException(ErrorCode.PERIOD_TOO_FINE, "the " + grid.parameter() + " starting " + open
                    + " is not over yet: to may be " + open + " at the latest");
        }
        return new StatisticsQuery(start, end, dimensions(by, properties.maxDimensions()), granularity(periods),
                ageBands(ageBands));
    }

    private static List<Dimension> dimensions(String by, int max) {
        List<Dimension> dimensions = new ArrayList<>();
        if (by == null || by.isBlank()) {
            return dimensions;
        }
        for (String name : by.split(",")) {
            String trimmed = name.trim();
            Dimension dimension = Dimension.byParameter(trimmed).orElseThrow(() -> new ReferralBusException(
                    ErrorCode.UNKNOWN_DIMENSION, "Unknown dimension '" + printable(trimmed) + "' in by; known: "
                    + String.join(", ", Dimension.parameters())));
            if (dimensions.contains(dimension)) {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Dimension '" + trimmed + "' is named twice in by");
            }
            dimensions.add(dimension);
        }
        if (dimensions.size() > max) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "At most " + max + " dimensions per query");
        }
        return dimensions;
    }

    private static Granularity granularity(String periods) {
        if (periods == null || periods.isBlank()) {
            return Granularity.MONTH;
        }
        try {
            return Granularity.valueOf(periods.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "periods must be month, quarter or year");
        }
    }

    private static boolean ageBands(String ageBands) {
        if (ageBands == null || ageBands.isBlank() || ageBands.equals("five-year")) {
            return false;
        }
        if (ageBands.equals("minor-adult")) {
            return true;
        }
        throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "ageBands must be five-year or minor-adult");
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, name + " must be a date (YYYY-MM-DD)");
        }
    }

    /** Whatever was typed, echoed only as far as it looks like a name. */
    private static String printable(String name) {
        return name.matches("[A-Za-z]{1,32}") ? name : "<" + name.length() + " characters>";
    }
}

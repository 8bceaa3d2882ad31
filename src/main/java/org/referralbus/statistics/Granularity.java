package org.referralbus.statistics;

import java.time.LocalDate;
import java.util.Locale;

/** Calendar periods: the values of the {@code period} dimension, and the grid on which query ranges must fall. */
public enum Granularity {
    MONTH(1), QUARTER(3), YEAR(12);

    private final int months;

    Granularity(int months) {
        this.months = months;
    }

    /** The first day of the period holding {@code day}. */
    public LocalDate start(LocalDate day) {
        int month = (day.getMonthValue() - 1) / months * months + 1;
        return LocalDate.of(day.getYear(), month, 1);
    }

    public boolean isStart(LocalDate day) {
        return start(day).equals(day);
    }

    public LocalDate next(LocalDate start) {
        return start.plusMonths(months);
    }

    /** {@code 2026-03}, {@code 2026-Q1} or {@code 2026}. */
    public String label(LocalDate day) {
        return switch (this) {
            case MONTH -> String.format(Locale.ROOT, "%d-%02d", day.getYear(), day.getMonthValue());
            case QUARTER -> day.getYear() + "-Q" + ((day.getMonthValue() - 1) / 3 + 1);
            case YEAR -> Integer.toString(day.getYear());
        };
    }

    public boolean isFinerThan(Granularity other) {
        return months < other.months;
    }

    public String parameter() {
        return name().toLowerCase(Locale.ROOT);
    }
}

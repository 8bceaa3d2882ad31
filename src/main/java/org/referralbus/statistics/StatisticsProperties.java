package org.referralbus.statistics;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.referralbus.core.StartupRefusal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much the statistics may reveal (docs/statistics.md).
 *
 * @param k             the smallest number of people a published cell may hold; smaller cells are suppressed. 11 by
 *                      default (the Counter-Trafficking Data Collaborative's k); the bus refuses to start below 5
 * @param grid          the calendar grid query ranges must fall on, and the unit a range is checked in: a number is
 *                      published for a range only if it is publishable in every grid period of the range, so that no
 *                      two ranges differ by a suppressed count. Coarser grids publish more; only closed periods are served
 * @param maxDimensions how many dimensions one query may cross; more cells than people mean every cell is suppressed
 * @param outcomeCutOff how long after a grid period ends its referrals' outcomes are fixed: they count with the outcome
 *                      they had then, whatever happens later, and {@code outcome} is not served for the period before,
 *                      so an outcome cell once published never changes and two answers cannot date a person's outcome.
 *                      30 days by default: an unanswered delivery escalates within 48 hours, so by then nearly every
 *                      referral has left PENDING, and quarterly reports are compiled about a month after the quarter.
 *                      Changing it changes the outcome cells of answers already given; set it once
 */
@Validated
@ConfigurationProperties("referral-bus.statistics")
public record StatisticsProperties(@DefaultValue("11") int k,
                                   @DefaultValue("QUARTER") @NotNull Granularity grid,
                                   @DefaultValue("4") int maxDimensions,
                                   @DefaultValue("30d") @NotNull Duration outcomeCutOff) {

    public static final int MINIMUM_K = 5;

    public StatisticsProperties {
        if (k < MINIMUM_K) {
            throw new StartupRefusal("referral-bus.statistics.k is " + k + ", below " + MINIMUM_K
                    + ": cells that small identify people",
                    "Set referral-bus.statistics.k to " + MINIMUM_K + " or more (11 by default) (docs/statistics.md).");
        }
        if (maxDimensions < 1 || maxDimensions > Dimension.values().length) {
            throw new IllegalArgumentException("referral-bus.statistics.max-dimensions must be between 1 and "
                    + Dimension.values().length + ", was " + maxDimensions);
        }
        if (outcomeCutOff != null && outcomeCutOff.isNegative()) {
            throw new IllegalArgumentException("referral-bus.statistics.outcome-cut-off must not be negative, was " + outcomeCutOff);
        }
    }

    /** The moment the outcomes of a grid period ending (exclusive) on {@code periodEnd} are counted at. */
    public OffsetDateTime outcomesFixedAt(LocalDate periodEnd) {
        return periodEnd.atStartOfDay().atOffset(ZoneOffset.UTC).plus(outcomeCutOff);
    }

    /** The moment the outcome of a referral received at {@code receivedAt} is counted at: its grid period's cut-off. */
    OffsetDateTime outcomeCutOffOf(OffsetDateTime receivedAt) {
        return outcomesFixedAt(grid.next(grid.start(receivedAt.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate())));
    }
}

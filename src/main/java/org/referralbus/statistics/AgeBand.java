package org.referralbus.statistics;

/**
 * The age kept for statistics: a 5-year band that never straddles 18, so that every band is either minors or adults
 * (0-4, 5-9, 10-14, 15-17, 18-19, 20-24, …, 60-64, 65+), or {@code UNKNOWN}. The exact age and the birth date are
 * never stored.
 */
public final class AgeBand {

    public static final String UNKNOWN = "UNKNOWN";

    private AgeBand() {
    }

    public static String of(Integer ageYears) {
        if (ageYears == null || ageYears < 0) {
            return UNKNOWN;
        }
        if (ageYears >= 65) {
            return "65+";
        }
        if (ageYears >= 15 && ageYears < 20) {
            return ageYears < 18 ? "15-17" : "18-19";
        }
        int start = ageYears / 5 * 5;
        return start + "-" + (start + 4);
    }

    /** {@code MINOR}, {@code ADULT} or {@code UNKNOWN}: the coarse split, from a stored band. */
    public static String minorOrAdult(String band) {
        if (UNKNOWN.equals(band)) {
            return UNKNOWN;
        }
        int start = Integer.parseInt(band.replaceFirst("[-+].*$", ""));
        return start < 18 ? "MINOR" : "ADULT";
    }
}

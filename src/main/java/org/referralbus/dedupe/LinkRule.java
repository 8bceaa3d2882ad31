package org.referralbus.dedupe;

/** Which rule of {@link SimilarityMatcher} decided about two encodings; its {@link #code()} is audited. */
public enum LinkRule {
    /** Names similar, and the same birth date recorded on both. */
    NAMES_AND_BIRTH_DATE("names+birth-date", true),
    /** Names similar, and similar patronymics recorded on both. */
    NAMES_AND_PATRONYMIC("names+patronymic", true),
    /** Names very similar; nothing recorded on both that could tell the two apart. */
    NAMES("names", true),
    /** Both recorded a birth date and the dates differ: never linked, however alike the names. */
    BIRTH_DATE_DIFFERS("birth-date-differs", false),
    /** Both recorded a patronymic and they are unalike: two fathers. */
    PATRONYMIC_DIFFERS("patronymic-differs", false),
    /** The names are not similar enough. */
    NAMES_DIFFER("names-differ", false),
    /** Put in the case, or taken out of it, by the coordinator. */
    COORDINATOR("coordinator", true),
    /** Found through a person key of the scheme before issue 16, which expires after the person window. */
    LEGACY_KEYS("legacy-keys", true);

    private final String code;
    private final boolean links;

    LinkRule(String code, boolean links) {
        this.code = code;
        this.links = links;
    }

    public String code() {
        return code;
    }

    boolean links() {
        return links;
    }
}

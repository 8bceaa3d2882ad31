package org.referralbus.dedupe;

import java.util.Locale;

/**
 * What the matcher decided about a probe and one stored encoding: the names' Dice score and the rule that decided.
 * Carries no name; its {@link #detail()} goes into the {@code LINKED} audit row.
 */
record LinkDecision(double score, LinkRule rule) {

    boolean linked() {
        return rule.links();
    }

    String detail() {
        return "rule:" + rule.code() + ";score:" + String.format(Locale.ROOT, "%.3f", score);
    }
}

package org.referralbus.system;

import java.util.Optional;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * The bus's start-up explanation of a configuration mistake (what is wrong, which property or file, what to do), for
 * the administrative commands, which start a context of their own and would otherwise print Spring's exception.
 */
public final class ConfigurationMistakes {

    private static final String PREFIX = "referral-bus cannot start: ";

    private ConfigurationMistakes() {
    }

    /** One sentence, or empty if the failure is not a configuration mistake the bus recognises. */
    public static Optional<String> explain(Throwable failure, Environment environment) {
        FailureAnalysis analysis = new StartupFailureAnalyzer(environment).analyze(failure);
        if (analysis == null) {
            return Optional.empty();
        }
        String description = analysis.getDescription();
        return Optional.of((description.startsWith(PREFIX) ? description.substring(PREFIX.length()) : description)
                + ". " + analysis.getAction());
    }
}

package org.referralbus.cli;

import java.util.List;
import java.util.Optional;
import org.referralbus.system.ConfigurationMistakes;
import org.referralbus.system.SettingNames;
import org.referralbus.system.UnknownSettings;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Starts {@link CommandLineContext} quietly with the same configuration sources as the bus, or reads those settings
 * alone. Only commands that write
 * (auditor create) migrate the schema; a reader (audit verify) must leave a database it did not find a trail in as it was.
 */
final class SubcommandContext {

    private SubcommandContext() {
    }

    static ConfigurableApplicationContext start(List<String> springArguments) {
        return start(springArguments, true);
    }

    /**
     * A configuration mistake (a missing key file, a wrong keystore password, a database that does not open) ends the
     * command with the bus's own one-sentence explanation, not Spring's exception.
     */
    static ConfigurableApplicationContext start(List<String> springArguments, boolean migrate) {
        knownSettings(springArguments);
        try {
            // An argument, not a default: application.yaml enables Flyway for the bus.
            return quietly(CommandLineContext.class, java.util.stream.Stream.concat(springArguments.stream(),
                    java.util.stream.Stream.of("--spring.flyway.enabled=" + migrate)).toList());
        } catch (RuntimeException failure) {
            Optional<String> mistake = ConfigurationMistakes.explain(failure, settingsIfReadable(springArguments));
            if (mistake.isPresent()) {
                throw new ClientFailure(ReferralBusCommandLine.FAILED, mistake.get());
            }
            throw failure;
        }
    }

    private static Environment settingsIfReadable(List<String> springArguments) {
        try {
            return settings(springArguments);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The bus's settings as it would read them (application.yaml, the arguments), with no beans, keys or connection. */
    static Environment settings(List<String> springArguments) {
        knownSettings(springArguments);
        try (ConfigurableApplicationContext context = quietly(SettingsOnly.class, springArguments)) {
            return context.getEnvironment();
        }
    }

    /**
     * Every extra word is a {@code --name=value} setting, and a {@code referral-bus.*} one is a setting the bus reads
     * ({@link UnknownSettings}, the check the bus makes at its own start). Checked before anything is done: Spring
     * ignores a name it does not know, and a misspelt {@code --referral-bus.data-dir} would have compacted the default
     * database, or {@code auditor create} made an account in a new empty one, both reported as done.
     */
    static void knownSettings(List<String> springArguments) {
        for (String argument : springArguments) {
            if (!argument.startsWith("--") || !argument.contains("=")) {
                throw new ClientFailure(ReferralBusCommandLine.FAILED, "\"" + argument + "\" is not an option of this command:"
                        + " settings are written --name=value (--referral-bus.data-dir=/var/lib/referral-bus); nothing was done.");
            }
            UnknownSettings.argument(argument.substring(2, argument.indexOf('='))).ifPresent(unknown -> {
                throw new ClientFailure(ReferralBusCommandLine.FAILED, "--" + unknown.name() + " is not a setting of the bus ("
                        + unknown.nearest().map(known -> "did you mean " + known + "?").orElseGet(() -> "its settings start referral-bus."
                                + String.join(", referral-bus.", SettingNames.ofTheBus().groups()) + "; operators.md, \"Configuration\"")
                        + "): nothing was done.");
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SettingsOnly {
    }

    private static ConfigurableApplicationContext quietly(Class<?> source, List<String> arguments) {
        return new SpringApplicationBuilder(source)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                // A failed start is reported once, as the command's own error line (start), not also by Spring's logs.
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "logging.level.org.flywaydb=ERROR",
                        "logging.level.org.springframework.context=ERROR", "logging.level.org.springframework.boot.diagnostics=OFF")
                .run(arguments.toArray(String[]::new));
    }
}

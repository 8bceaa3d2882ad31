package org.referralbus.cli;

import java.util.List;
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

    static ConfigurableApplicationContext start(List<String> springArguments, boolean migrate) {
        // An argument, not a default: application.yaml enables Flyway for the bus.
        return quietly(CommandLineContext.class, java.util.stream.Stream.concat(springArguments.stream(),
                java.util.stream.Stream.of("--spring.flyway.enabled=" + migrate)).toList());
    }

    /** The bus's settings as it would read them (application.yaml, the arguments), with no beans, keys or connection. */
    static Environment settings(List<String> springArguments) {
        try (ConfigurableApplicationContext context = quietly(SettingsOnly.class, springArguments)) {
            return context.getEnvironment();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SettingsOnly {
    }

    private static ConfigurableApplicationContext quietly(Class<?> source, List<String> arguments) {
        return new SpringApplicationBuilder(source)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "logging.level.org.flywaydb=ERROR")
                .run(arguments.toArray(String[]::new));
    }
}

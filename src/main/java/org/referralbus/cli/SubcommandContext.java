package org.referralbus.cli;

import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts {@link CommandLineContext} quietly with the same configuration sources as the bus. Only commands that write
 * (auditor create) migrate the schema; a reader (audit verify) must leave a database it did not find a trail in as it was.
 */
final class SubcommandContext {

    private SubcommandContext() {
    }

    static ConfigurableApplicationContext start(List<String> springArguments) {
        return start(springArguments, true);
    }

    static ConfigurableApplicationContext start(List<String> springArguments, boolean migrate) {
        return new SpringApplicationBuilder(CommandLineContext.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "logging.level.org.flywaydb=ERROR")
                // An argument, not a default: application.yaml enables Flyway for the bus.
                .run(java.util.stream.Stream.concat(springArguments.stream(), java.util.stream.Stream.of("--spring.flyway.enabled=" + migrate))
                        .toArray(String[]::new));
    }
}

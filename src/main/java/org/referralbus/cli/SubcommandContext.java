package org.referralbus.cli;

import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts {@link CommandLineContext} quietly with the same configuration sources as the bus. */
final class SubcommandContext {

    private SubcommandContext() {
    }

    static ConfigurableApplicationContext start(List<String> springArguments) {
        return new SpringApplicationBuilder(CommandLineContext.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "logging.level.org.flywaydb=ERROR",
                        "spring.flyway.enabled=true")
                .run(springArguments.toArray(String[]::new));
    }
}

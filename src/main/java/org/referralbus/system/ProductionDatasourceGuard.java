package org.referralbus.system;

import org.referralbus.core.StartupRefusal;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * In the {@code prod} profile the database must be chosen by the operator: the packaged default is an H2 file under
 * the data directory, which production would otherwise fall back to silently. Checked before any bean exists, so a
 * refused start creates no database file.
 */
class ProductionDatasourceGuard implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final String URL = "spring.datasource.url";

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        if (!environment.matchesProfiles("prod")) {
            return;
        }
        if (!environment.containsProperty(URL) || packagedDefault(environment)) {
            throw new StartupRefusal("the prod profile needs an explicit database: " + URL + " is not set",
                    "Set spring.datasource.url (for example jdbc:postgresql://127.0.0.1:5432/referralbus), username and password"
                            + " (docs/operators.md, 'Production set-up').");
        }
    }

    /** True when the URL comes from the application.yaml packaged in the jar, i.e. nobody set it. */
    private static boolean packagedDefault(ConfigurableEnvironment environment) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable && enumerable.containsProperty(URL)) {
                return source.getName().contains("[application.yaml]") && source.getName().contains("classpath:/");
            }
        }
        return false;
    }
}

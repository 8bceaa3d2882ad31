package org.referralbus.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.stereotype.Component;

/**
 * Warns about a setting for the libraries under the bus ({@code spring.*}, {@code server.*}, {@code camel.*},
 * {@code management.*}, {@code logging.*}) that none of them reads. Spring binds the names it knows and ignores the
 * rest, so a misspelt {@code spring.artemis.mode} left a production bus on its embedded broker with nothing in the
 * log. A warning, not a refusal as for the bus's own names ({@link UnknownSettingGuard}): a library may read a name
 * its metadata does not list. Looked at once the bus is ready, because reading every library's metadata (about a
 * megabyte) would lengthen every start; and only in what the operator wrote (files outside the jar, arguments,
 * {@code -D} properties), not in the packaged defaults or the shell's environment variables, where other programs'
 * {@code SERVER_*} names live.
 */
@Component
class LibrarySettingsCheck implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(LibrarySettingsCheck.class);
    private static final List<String> LIBRARY_PREFIXES = List.of("spring.", "server.", "camel.", "management.", "logging.");

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        ignoredIn(event.getApplicationContext().getEnvironment()).forEach(sentence -> log.warn("{}", sentence));
    }

    /** One sentence per library setting the operator wrote that no library reads: names and where, never values. */
    static List<String> ignoredIn(ConfigurableEnvironment environment) {
        List<String> sentences = new ArrayList<>();
        SettingNames known = null; // read only if the operator wrote a library setting at all
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable) || !writtenByTheOperator(source)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (!forALibrary(name)) {
                    continue;
                }
                known = known != null ? known : SettingNames.ofTheLibraries();
                if (!known.readsAsWritten(name)
                        && !known.reads(ConfigurationPropertySource.from(new MapPropertySource("one setting", Map.of(name, ""))))) {
                    Optional<String> nearest = known.nearest(name);
                    sentences.add(name + UnknownSettings.where(source, name).map(origin -> " (" + origin + ")").orElse("")
                            + " is not a setting of the bus or of the libraries it runs on, and is ignored"
                            + nearest.map(setting -> "; did you mean " + setting + "?").orElse("")
                            + " (docs/operators.md, 'Configuration')");
                }
            }
        }
        return sentences;
    }

    private static boolean forALibrary(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return LIBRARY_PREFIXES.stream().anyMatch(lower::startsWith);
    }

    /** Arguments, {@code -D} properties and configuration files outside the jar; not what the bus itself packages. */
    private static boolean writtenByTheOperator(PropertySource<?> source) {
        return source instanceof CommandLinePropertySource<?>
                || StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(source.getName())
                || source.getName().startsWith("Config resource") && !source.getName().contains("class path resource");
    }
}

package org.referralbus.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Finds a {@code referral-bus.*} setting the bus does not read, in every property source of an environment (files,
 * arguments, system properties, environment variables) or in one command's argument. Spring binds what it knows and
 * ignores the rest, so a misspelt {@code referral-bus.statistics.kk=20} left the operator believing small cells were
 * hidden. Each property is looked at alone, through Spring's own adapter for its kind of source, so a name counts as
 * read exactly when the binder would find it. A name a {@code ${…}} placeholder of the configuration reads
 * (application-prod.yaml's {@code REFERRAL_BUS_KEYSTORE_PASSWORD}) is read too.
 */
public final class UnknownSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)");

    private UnknownSettings() {
    }

    /** The first setting, in the environment's order of precedence, that the bus would ignore. */
    public static Optional<UnknownSetting> in(ConfigurableEnvironment environment) {
        Set<String> placeholders = placeholders(environment);
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue; // e.g. Spring's view of all sources at once, or random.*: nothing of their own to check
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String name : enumerable.getPropertyNames()) {
                if (!placeholders.contains(name) && ignored(name, variables)) {
                    return Optional.of(new UnknownSetting(name, where(source, name), SettingNames.ofTheBus().nearest(name), variables));
                }
            }
        }
        return Optional.empty();
    }

    /** A command's {@code --name=value} argument the bus would ignore. */
    public static Optional<UnknownSetting> argument(String name) {
        return ignored(name, false)
                ? Optional.of(new UnknownSetting(name, Optional.empty(), SettingNames.ofTheBus().nearest(name), false))
                : Optional.empty();
    }

    private static boolean ignored(String name, boolean variable) {
        ConfigurationPropertySource alone = ConfigurationPropertySource.from(variable
                ? new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(name, ""))
                : new MapPropertySource("one setting", Map.of(name, "")));
        SettingNames known = SettingNames.ofTheBus();
        return known.under(alone) && !known.reads(alone);
    }

    /**
     * Names the configuration's placeholders read: those of every source in force, and those of the packaged profile
     * files even when their profile is not (REFERRAL_BUS_KEYSTORE_PASSWORD, which application-prod.yaml reads, is
     * the documented variable, also in an operator's shell that runs a command without the prod profile).
     */
    private static Set<String> placeholders(ConfigurableEnvironment environment) {
        Set<String> names = new HashSet<>(Packaged.PLACEHOLDERS);
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (enumerable.getProperty(name) instanceof CharSequence value) {
                        collect(value, names);
                    }
                }
            }
        }
        return names;
    }

    private static void collect(CharSequence text, Set<String> names) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1).strip());
        }
    }

    /** The packaged profile files, looked for where the bus's application.yaml is (not at every jar's root). */
    private static final class Packaged {
        private static final String PACKAGED_DEFAULTS = "application.yaml";
        static final Set<String> PLACEHOLDERS = read();

        private static Set<String> read() {
            Set<String> names = new HashSet<>();
            try {
                for (URL folder : OwnResources.named(PACKAGED_DEFAULTS)) {
                    String root = folder.toString().substring(0, folder.toString().length() - PACKAGED_DEFAULTS.length());
                    for (Resource file : new PathMatchingResourcePatternResolver().getResources(root + "application*.y*ml")) {
                        collect(file.getContentAsString(StandardCharsets.UTF_8), names);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the packaged configuration", e);
            }
            return names;
        }
    }

    /** The file and line, or the kind of source: never the value. */
    static Optional<String> where(PropertySource<?> source, String name) {
        if (source instanceof SystemEnvironmentPropertySource) {
            return Optional.of("an environment variable");
        }
        Origin origin = OriginLookup.getOrigin(source, name);
        if (origin != null) {
            return Optional.of(origin.toString());
        }
        if (source instanceof CommandLinePropertySource<?>) {
            return Optional.of("the command line");
        }
        if (StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(source.getName())) {
            return Optional.of("a -D system property");
        }
        return Optional.of("property source '" + source.getName() + "'");
    }
}

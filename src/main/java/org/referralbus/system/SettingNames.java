package org.referralbus.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every setting the bus reads under {@code referral-bus.}: the names Spring Boot's configuration processor writes to
 * {@code META-INF/spring-configuration-metadata.json} from the properties records at compile time (nested records
 * included), and the placeholders no record binds, declared in {@code additional-spring-configuration-metadata.json}.
 * Whether a written name is one of them is asked of Spring's own relaxed lookup, so {@code rateLimit},
 * {@code rate_limit} and {@code REFERRAL_BUS_INTAKE_RATE_LIMIT_ENABLED} count exactly when the bus would bind them.
 */
public final class SettingNames {

    static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("referral-bus");
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    private static final String ADDITIONAL_METADATA = "META-INF/additional-spring-configuration-metadata.json";

    /** Each name, and whether what lies below it is free (a list's indexes, a map's keys). */
    private final Map<ConfigurationPropertyName, Boolean> names;

    SettingNames(Map<String, String> typeByName) {
        Map<ConfigurationPropertyName, Boolean> known = new TreeMap<>();
        typeByName.forEach((name, type) -> known.put(ConfigurationPropertyName.of(name), container(type)));
        this.names = Collections.unmodifiableMap(known);
    }

    /** The bus's settings, read once from the metadata on the class path. */
    public static SettingNames ofTheBus() {
        return OfTheBus.NAMES;
    }

    /**
     * True when the one property in {@code source} lies under {@code referral-bus.}, whichever way it is written; not
     * {@code referral-bus} itself (the scripts' variable REFERRAL_BUS holds the command that runs the bus).
     */
    boolean under(ConfigurationPropertySource source) {
        return source.containsDescendantOf(PREFIX) == ConfigurationPropertyState.PRESENT;
    }

    /** True when the bus binds the one property in {@code source}: it is a known name, or an element of a known list or map. */
    boolean reads(ConfigurationPropertySource source) {
        for (Map.Entry<ConfigurationPropertyName, Boolean> name : names.entrySet()) {
            if (source.getConfigurationProperty(name.getKey()) != null
                    || (name.getValue() && source.containsDescendantOf(name.getKey()) == ConfigurationPropertyState.PRESENT)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The quick answer for a name written in canonical form ({@code spring.artemis.mode}): a known name, or an element
     * of a known list or map. Other spellings ({@code spring.artemis.embeddedPersistent}) are for {@link #reads}.
     */
    boolean readsAsWritten(String name) {
        if (!ConfigurationPropertyName.isValid(name)) {
            return false;
        }
        ConfigurationPropertyName written = ConfigurationPropertyName.of(name);
        for (ConfigurationPropertyName parent = written; !parent.isEmpty(); parent = parent.getParent()) {
            Boolean container = names.get(parent);
            if (container != null && (parent == written || container)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The known name closest to {@code written} (a property or an environment variable name), if it is a slip away:
     * a few letters, at most half of the known name's last word.
     */
    Optional<String> nearest(String written) {
        String skeleton = skeleton(written);
        return names.keySet().stream().map(ConfigurationPropertyName::toString)
                .filter(name -> TypingDistance.between(skeleton, skeleton(name)) <= allowedSlip(name))
                .min(Comparator.comparingInt((String name) -> TypingDistance.between(skeleton, skeleton(name))).thenComparing(name -> name));
    }

    /** Every known name, canonical ({@code referral-bus.intake.rate-limit.enabled}). */
    public Set<String> all() {
        Set<String> all = new TreeSet<>();
        names.keySet().forEach(name -> all.add(name.toString()));
        return all;
    }

    /** The first word after {@code referral-bus.} of every known name ({@code audit}, {@code broker}, …). */
    public Set<String> groups() {
        Set<String> groups = new TreeSet<>();
        names.keySet().forEach(name -> groups.add(name.getElement(1, ConfigurationPropertyName.Form.DASHED)));
        return groups;
    }

    private static int allowedSlip(String name) {
        String lastWord = skeleton(name.substring(name.lastIndexOf('.') + 1));
        return Math.min(3, Math.max(1, lastWord.length() / 2));
    }

    /** Letters and digits only: {@code rateLimit}, {@code rate-limit} and {@code RATE_LIMIT} look the same. */
    private static String skeleton(String name) {
        return name.replaceAll("\\[[^]]*]", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static boolean container(String type) {
        return type != null && (type.startsWith("java.util.List") || type.startsWith("java.util.Set")
                || type.startsWith("java.util.Collection") || type.startsWith("java.util.Map") || type.endsWith("[]"));
    }

    /**
     * The settings of the libraries the bus runs on, under {@code spring.}, {@code server.}, {@code camel.},
     * {@code management.} and {@code logging.}: every jar's metadata, about a megabyte, so read only when asked
     * ({@link LibrarySettingsCheck}, once the bus is ready).
     */
    static SettingNames ofTheLibraries() {
        Map<String, String> typeByName = new TreeMap<>();
        try {
            for (String file : List.of(METADATA, ADDITIONAL_METADATA)) {
                read(Collections.list(SettingNames.class.getClassLoader().getResources(file)), name -> !name.startsWith(PREFIX + "."), typeByName);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the libraries' " + METADATA, e);
        }
        return new SettingNames(typeByName);
    }

    private static final class OfTheBus {
        static final SettingNames NAMES = new SettingNames(readMetadata());
    }

    /** The bus's own metadata (every jar may carry some; Spring Boot's is large); its names are those under referral-bus. */
    private static Map<String, String> readMetadata() {
        Map<String, String> typeByName = new TreeMap<>();
        read(OwnResources.named(METADATA), name -> name.startsWith(PREFIX + "."), typeByName);
        if (typeByName.isEmpty()) {
            throw new IllegalStateException(METADATA + " names no referral-bus setting: the build did not run the configuration processor");
        }
        return typeByName;
    }

    private static void read(List<URL> files, Predicate<String> wanted, Map<String, String> typeByName) {
        JsonMapper json = JsonMapper.builder().build();
        try {
            for (URL url : files) {
                try (InputStream in = url.openStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        String name = property.path("name").asString("");
                        if (!name.isEmpty() && wanted.test(name)) {
                            typeByName.putIfAbsent(name, property.path("type").asString(null));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + METADATA, e);
        }
    }
}

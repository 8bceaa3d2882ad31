package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Every {@code referral-bus.*} setting the tests, the packaged configuration, the documentation, the recipes and the
 * deployment scripts name is one the bus reads: the bus now refuses to start with any other, so a recipe with an
 * obsolete name would stop an operator's bus, and a test with one would test nothing. Looks at dotted names
 * ({@code referral-bus.statistics.k}, {@code --referral-bus.tls.*}), nested YAML under {@code referral-bus:} (in
 * files, heredocs and Markdown) and {@code REFERRAL_BUS_*} environment variables.
 */
class DocumentedSettingsTest {

    private static final List<Path> WHERE = List.of(Path.of("src/test"), Path.of("src/main/resources"), Path.of("docs"),
            Path.of("README.md"), Path.of("deploy"), Path.of("routes"));
    /** The checker's own tests misspell on purpose. */
    private static final Set<String> MISSPELLING_TESTS = Set.of("SettingsNamesTest.java", "UnknownSettingsTest.java",
            "DocumentedSettingsTest.java");
    /** The misspellings operators.md and StartupMistakesTest quote, in the refusals they show. */
    private static final Set<String> QUOTED_TYPOS = Set.of("referral-bus.statistics.kk", "referral-bus.data-dri",
            "REFERRAL_BUS_INTAKE_RATELIMIT_ENABLED");
    /** Words after "referral-bus." that are file names, hosts or broker users, not settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("jar", "yaml", "yml", "crt", "key", "p12", "jsa", "mv", "log",
            "example", "cluster", "internal");
    /** deploy/local-cluster.sh's own folder variable: the script unsets it before it starts a bus. */
    private static final Set<String> SCRIPT_VARIABLES = Set.of("REFERRAL_BUS_CLUSTER_DIR");

    private static final Pattern DOTTED = Pattern.compile(
            "(?:(?<=-D)|(?<![\\w-]))referral-bus\\.([A-Za-z0-9_-]+)(?:\\.[A-Za-z0-9_*-]+|\\[[0-9]*])*");
    private static final Pattern VARIABLE = Pattern.compile("(?<![\\w$])REFERRAL_BUS_[A-Z0-9_]*[A-Z0-9]");
    private static final Pattern PLACEHOLDER_VARIABLE = Pattern.compile("\\$\\{(REFERRAL_BUS_[A-Z0-9_]+)");
    private static final Pattern YAML_ROOT = Pattern.compile("^(\\s*)referral-bus:\\s*(#.*)?$");
    private static final Pattern YAML_KEY = Pattern.compile("^(\\s*)([A-Za-z0-9_-]+):(.*)$");

    @Test
    void everySettingNamedInTestsDocumentationAndRecipesIsReadByTheBus() throws IOException {
        Map<Path, String> files = files();
        Set<String> placeholderVariables = new TreeSet<>();
        files.values().forEach(text -> PLACEHOLDER_VARIABLE.matcher(text).results().forEach(m -> placeholderVariables.add(m.group(1))));

        Set<String> unknown = new TreeSet<>();
        int looked = 0;
        for (Map.Entry<Path, String> file : files.entrySet()) {
            if (MISSPELLING_TESTS.contains(file.getKey().getFileName().toString())) {
                continue;
            }
            for (String name : named(file.getValue())) {
                looked++;
                if (!known(name)) {
                    unknown.add(name + " in " + file.getKey());
                }
            }
            Matcher variables = VARIABLE.matcher(file.getValue());
            while (variables.find()) {
                looked++;
                String variable = variables.group();
                if (!placeholderVariables.contains(variable) && !SCRIPT_VARIABLES.contains(variable) && !QUOTED_TYPOS.contains(variable)
                        && !knownVariable(variable)) {
                    unknown.add(variable + " in " + file.getKey());
                }
            }
        }
        assertThat(looked).isGreaterThan(200);
        assertThat(named(files.get(Path.of("docs/recipes/production.sh")))).as("nested YAML in a heredoc")
                .contains("referral-bus.audit.totp-encryption.key", "referral-bus.identity.keystore");
        assertThat(unknown).isEmpty();
    }

    /** Dotted names, and the key paths of YAML written under referral-bus:. */
    static Set<String> named(String text) {
        Set<String> names = new TreeSet<>();
        Matcher dotted = DOTTED.matcher(text);
        while (dotted.find()) {
            String name = dotted.group();
            if (!NOT_SETTINGS.contains(dotted.group(1))) {
                names.add(name.replaceFirst("\\.\\*$", ""));
            }
        }
        names.addAll(yamlNames(text.lines().toList()));
        names.removeAll(QUOTED_TYPOS);
        return names;
    }

    private static Set<String> yamlNames(List<String> lines) {
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher root = YAML_ROOT.matcher(lines.get(i));
            if (!root.matches()) {
                continue;
            }
            int base = root.group(1).length();
            Deque<Map.Entry<Integer, String>> path = new ArrayDeque<>();
            path.push(Map.entry(base, "referral-bus"));
            for (int j = i + 1; j < lines.size(); j++) {
                String line = lines.get(j);
                String content = line.strip();
                if (content.isEmpty() || content.startsWith("#")) {
                    continue;
                }
                int indent = line.length() - line.stripLeading().length();
                if (indent <= base) {
                    break;
                }
                Matcher key = YAML_KEY.matcher(line);
                if (content.startsWith("-") || !key.matches()) {
                    continue; // a list's item: a value, not a name
                }
                while (path.peek().getKey() >= indent) {
                    path.pop();
                }
                String name = path.peek().getValue() + "." + key.group(2);
                path.push(Map.entry(indent, name));
                names.add(name);
            }
        }
        return names;
    }

    /** A setting, or a group of settings (referral-bus.delivery.webhook, referral-bus.tls.*). */
    private static boolean known(String name) {
        return UnknownSettings.argument(name).isEmpty() || SettingNames.ofTheBus().all().stream().anyMatch(setting -> setting.startsWith(name + "."));
    }

    private static boolean knownVariable(String variable) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, "x")));
        return UnknownSettings.in(environment).isEmpty();
    }

    private static Map<Path, String> files() throws IOException {
        Map<Path, String> files = new LinkedHashMap<>();
        for (Path root : WHERE) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    try {
                        files.put(file, Files.readString(file));
                    } catch (MalformedInputException binary) {
                        // keystores, databases: no setting is written in them
                    }
                }
            }
        }
        return files;
    }
}

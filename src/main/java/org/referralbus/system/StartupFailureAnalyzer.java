package org.referralbus.system;

import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.referralbus.core.Causes;
import org.referralbus.core.StartupRefusal;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Turns a configuration mistake at start-up into one message (what is wrong, which property or file, what to do)
 * instead of a stack trace. Implementation note: the message is built only from our own refusals, file paths,
 * property names and the database's own error text; it never quotes a property's value other than a path, so no
 * secret or password can reach the console. Failures it does not recognise are left to Spring Boot's analyzers.
 */
class StartupFailureAnalyzer implements FailureAnalyzer, Ordered {

    private static final String SEE = " (docs/operators.md, 'Production set-up').";

    private final Environment environment;

    StartupFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        List<Throwable> chain = Causes.chain(failure);
        for (Throwable cause : chain) {
            if (cause instanceof StartupRefusal refusal) {
                return analysis(refusal.getMessage(), refusal.action(), failure);
            }
        }
        for (Throwable cause : deepestFirst(chain)) {
            if (cause instanceof NoSuchFileException || cause instanceof FileNotFoundException) {
                return missingFile(cause.getMessage(), failure);
            }
            if (cause instanceof SQLException) {
                String url = databaseUrl();
                // Only H2 is opened by one process at a time; a server database is created by its operator, not by Flyway.
                String action = url.startsWith("jdbc:h2:")
                        ? "The embedded database opens in one process at a time: if the bus is running on it, stop the bus first (for an admin"
                                + " command). Otherwise check spring.datasource.url, username and password (SPRING_DATASOURCE_PASSWORD),"
                                + " and that the database exists" + SEE
                        : "Check spring.datasource.url, username and password (SPRING_DATASOURCE_PASSWORD), that the server is reachable,"
                                + " and that the role and the database exist: Flyway creates the schema only (PostgreSQL: createuser,"
                                + " createdb -O ROLE DATABASE)" + SEE;
                return analysis("Cannot open the database " + url + ": " + firstLine(cause.getMessage()), action, failure);
            }
        }
        for (Throwable cause : deepestFirst(chain)) {
            if (thrownByTheBus(cause) && cause.getMessage() != null) {
                return analysis(firstLine(cause.getMessage()), "Correct the configuration named above" + SEE, failure);
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    private FailureAnalysis missingFile(String path, Throwable failure) {
        String file = path == null ? "" : path.replaceFirst(" \\(.*\\)$", "");
        List<String> properties = propertiesNaming(file);
        String where = properties.isEmpty() ? "" : " (set by " + String.join(", ", properties) + ")";
        String home = environment == null ? null : environment.getProperty("referral-bus.home");
        return analysis("File not found: " + file + where + "; referral-bus.home is " + home + ", the working directory "
                        + System.getProperty("user.dir"),
                "Create the file or point the property at it; set referral-bus.home to the folder holding routes/ and"
                        + " keys-sample/ (by default the jar's folder), or use absolute paths" + SEE,
                failure);
    }

    /** Property names whose value names the file: only names are reported, never values. */
    private List<String> propertiesNaming(String file) {
        List<String> names = new ArrayList<>();
        if (!(environment instanceof ConfigurableEnvironment configurable) || file.isEmpty()) {
            return names;
        }
        String tail = file.replace('\\', '/').replaceFirst("^.*/", "");
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    Object value = enumerable.getProperty(name);
                    if (value != null && !tail.isEmpty() && value.toString().endsWith(tail) && !names.contains(name)
                            && !name.contains("[")) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    private String databaseUrl() {
        String url = environment == null ? null : environment.getProperty("spring.datasource.url");
        // Query parameters may carry a password: show the address only.
        return url == null ? "(no spring.datasource.url)" : url.replaceFirst("[?;].*$", "");
    }

    private static boolean thrownByTheBus(Throwable cause) {
        StackTraceElement[] trace = cause.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("org.referralbus.");
    }

    private static FailureAnalysis analysis(String description, String action, Throwable failure) {
        return new FailureAnalysis("referral-bus cannot start: " + firstLine(description), action, failure);
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.strip().lines().findFirst().orElse("");
    }

    private static List<Throwable> deepestFirst(List<Throwable> chain) {
        List<Throwable> reversed = new ArrayList<>(chain);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

}

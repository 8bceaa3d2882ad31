package org.referralbus.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.core.env.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;

@Command(name = "database", mixinStandardHelpOptions = true, description = "The embedded database, with the bus stopped.", subcommands = DatabaseCommand.Compact.class)
class DatabaseCommand {

    /**
     * Rewrites the embedded H2 file to its live data. H2 appends changed pages to the file and reuses the space of
     * old ones only slowly while the bus writes, so the file grows well beyond what it holds (bursts most of all) and
     * gives only part of it back by itself. Needs the bus stopped: H2 lets one process open the file.
     */
    @Command(name = "compact", mixinStandardHelpOptions = true,
            description = {"Rewrites the embedded H2 database file to its live data (H2's SHUTDOWN COMPACT); stop the bus first.",
                    "Configured as for the bus (--referral-bus.data-dir=… or --spring.datasource.url=…).",
                    "Exit codes: 0 compacted; 2 not done (bus running, no such database, not H2)."})
    static class Compact implements Callable<Integer> {

        /** H2's error code for a database file another process holds open. */
        private static final int DATABASE_ALREADY_OPEN = 90020;

        @Spec
        CommandSpec spec;

        @Unmatched
        List<String> springArguments = new ArrayList<>();

        @Override
        public Integer call() throws SQLException, java.io.IOException {
            Environment settings = SubcommandContext.settings(springArguments);
            String url = settings.getRequiredProperty("spring.datasource.url");
            String user = settings.getProperty("spring.datasource.username", "");
            String password = settings.getProperty("spring.datasource.password", "");
            if (!url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:file:")) {
                throw new ClientFailure(ReferralBusCommandLine.FAILED, "database compact is for the embedded H2 database, and "
                        + "this bus is configured for another one; PostgreSQL reclaims space itself (autovacuum).");
            }
            Path file = h2File(url);
            if (!Files.isRegularFile(file)) {
                throw new ClientFailure(ReferralBusCommandLine.FAILED, "There is no database at " + file
                        + ": give the bus's --referral-bus.data-dir.");
            }
            long before = Files.size(file);
            long started = System.nanoTime();
            try (Connection connection = DriverManager.getConnection(url + ";IFEXISTS=TRUE", user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN COMPACT");
            } catch (SQLException e) {
                if (e.getErrorCode() == DATABASE_ALREADY_OPEN) {
                    throw new ClientFailure(ReferralBusCommandLine.FAILED, "The database at " + file
                            + " is in use, probably by a running bus: stop the bus, then run database compact again.");
                }
                throw e;
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "compacted %s: %.1f MB -> %.1f MB in %.1f s%n", file,
                    before / 1e6, Files.size(file) / 1e6, (System.nanoTime() - started) / 1e9);
            return 0;
        }
    }

    private static Path h2File(String url) {
        return Path.of(url.substring("jdbc:h2:file:".length()).split(";", 2)[0] + ".mv.db");
    }

    /** The arguments with the embedded database opened only if it exists (a repeated setting would be joined, not replaced). */
    static List<String> onlyIfExists(List<String> springArguments, String url) {
        List<String> arguments = new ArrayList<>(springArguments.stream()
                .filter(argument -> !argument.startsWith("--spring.datasource.url=")).toList());
        arguments.add("--spring.datasource.url=" + url + ";IFEXISTS=TRUE");
        return arguments;
    }

    /** The embedded database's file when the settings name one that is not there (a reader must not create it). */
    static Optional<Path> missingH2File(Environment settings) {
        String url = settings.getProperty("spring.datasource.url", "");
        if (!url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:file:")) {
            return Optional.empty();
        }
        Path file = h2File(url);
        return Files.isRegularFile(file) ? Optional.empty() : Optional.of(file);
    }
}

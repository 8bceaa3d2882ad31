package org.referralbus.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Who the client is and which bus it talks to. Defaults are the sample PKI in {@code keys-sample/} and
 * {@code https://localhost:8443}, so the README walkthrough needs no flags; {@code --as ID} picks a sample
 * participant's certificate and key. A profile ({@code --profile FILE}, else {@code ~/.referral-bus/profile.properties}
 * when it exists) sets {@code bus}, {@code cert}, {@code key} and {@code ca} once for a real deployment; {@code --bus},
 * {@code --cert}, {@code --key}, {@code --ca} and {@code --as} on the command line win over it.
 */
final class ParticipantOptions {

    static final String DEFAULT_BUS = "https://localhost:8443";
    static final Path DEFAULT_CA = Path.of("keys-sample/ca.crt");

    @Option(names = "--as", paramLabel = "ID", description = "a sample participant in keys-sample/ (default: border-service for agency commands, shelter-dushanbe for"
            + " inbox, fetch, ack, close and listen, coordinator for erase and case, oversight-board for audit, bus-admin for admin)")
    String as;

    @Option(names = "--bus", paramLabel = "URL", description = "bus address (default: the profile's bus, else " + DEFAULT_BUS + ")")
    String bus;

    @Option(names = "--cert", paramLabel = "FILE", description = "your certificate (PEM); overrides --as and the profile")
    Path certificate;

    @Option(names = "--key", paramLabel = "FILE", description = "your private key (PEM); overrides --as and the profile")
    Path key;

    @Option(names = "--ca", paramLabel = "FILE", description = "the deployment CA (default: the profile's ca, else keys-sample/ca.crt)")
    Path ca;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "properties with bus=, cert=, key=, ca= (paths relative to the file); default ~/.referral-bus/profile.properties if it exists")
    Path profile;

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "keys-sample", hidden = true)
    Path sampleKeys;

    @Option(names = "--retry-delay", paramLabel = "MILLIS", defaultValue = "1000", hidden = true,
            description = "first wait before retrying a network failure; doubled each time")
    long retryDelayMillis;

    @Option(names = "--wait-notice", paramLabel = "MILLIS", defaultValue = "10000", hidden = true,
            description = "how long an answer may take before the command says it is waiting for it")
    long waitNoticeMillis;

    @Option(names = "--first-answer-wait", paramLabel = "MILLIS", defaultValue = "5000", hidden = true,
            description = "how long the first answer may take before the address is asked whether it speaks HTTP at all")
    long firstAnswerWaitMillis;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Properties loaded;
    private Path loadedFrom;

    BusClient connect(String folder, String defaultId) {
        return new BusClient(this, folder, defaultId, java.time.Duration.ofMillis(retryDelayMillis),
                mixee == null ? null : mixee.commandLine().getErr(), java.time.Duration.ofMillis(waitNoticeMillis));
    }

    java.time.Duration firstAnswerWait() {
        return java.time.Duration.ofMillis(firstAnswerWaitMillis);
    }

    String bus() {
        if (bus != null) {
            return bus;
        }
        String fromProfile = profile().getProperty("bus");
        return fromProfile != null ? fromProfile.trim() : DEFAULT_BUS;
    }

    Path certificate(String folder, String defaultId) {
        if (certificate != null) {
            return existing(certificate, "--cert");
        }
        Path fromProfile = profilePath("cert");
        return as == null && fromProfile != null ? existing(fromProfile, "cert= in " + loadedFrom) : sample(folder, defaultId, ".crt");
    }

    Path key(String folder, String defaultId) {
        if (key != null) {
            return existing(key, "--key");
        }
        Path fromProfile = profilePath("key");
        return as == null && fromProfile != null ? existing(fromProfile, "key= in " + loadedFrom) : sample(folder, defaultId, ".key");
    }

    Path ca() {
        if (ca != null) {
            return existing(ca, "--ca");
        }
        Path fromProfile = profilePath("ca");
        return fromProfile != null ? existing(fromProfile, "ca= in " + loadedFrom) : existing(DEFAULT_CA, "--ca");
    }

    private Path profilePath(String name) {
        String value = profile().getProperty(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        Path path = Path.of(value.trim().replaceFirst("^~(?=/)", System.getProperty("user.home").replace("\\", "/")));
        return path.isAbsolute() ? path : loadedFrom.toAbsolutePath().getParent().resolve(path);
    }

    private Properties profile() {
        if (loaded != null) {
            return loaded;
        }
        loaded = new Properties();
        Path file = profile != null ? profile : Path.of(System.getProperty("user.home"), ".referral-bus", "profile.properties");
        if (profile == null && !Files.isRegularFile(file)) {
            return loaded;
        }
        loadedFrom = file;
        try (Reader reader = Files.newBufferedReader(file)) {
            loaded.load(reader);
        } catch (IOException e) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "The profile " + file + " cannot be read: check the path given to"
                    + " --profile (a properties file with bus=, cert=, key=, ca=).");
        }
        if (java.util.stream.Stream.of("bus", "cert", "key", "ca").noneMatch(loaded::containsKey)) {
            // another file given by mistake: the sample keys and the local bus were used in silence
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "The profile " + file + " sets none of bus=, cert=, key=, ca=:"
                    + " give --profile the properties file that holds them.");
        }
        return loaded;
    }

    private Path sample(String folder, String defaultId, String suffix) {
        String id = as != null ? as : defaultId;
        Path file = sampleKeys.resolve(folder).resolve(id + suffix);
        if (!Files.isDirectory(sampleKeys.resolve(folder))) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "No sample keys here (" + sampleKeys.resolve(folder).toAbsolutePath()
                    + " does not exist): run the command from the project folder, or give --cert, --key and --ca (or --profile).");
        }
        if (!Files.isRegularFile(file)) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "No sample " + folder.replaceAll("s$", "").replace("agencie", "agency")
                    + " \"" + id + "\" in " + sampleKeys.resolve(folder) + ": pick one of the files there with --as, or give --cert and --key.");
        }
        return file;
    }

    private static Path existing(Path file, String option) {
        if (file.toString().isBlank()) { // an unset variable in a script: the empty path is the working folder
            throw new ClientFailure(ClientCommands.CANNOT_RUN, option + " was given an empty name (an unset variable in a"
                    + " script?): give the PEM file's path.");
        }
        if (Files.isDirectory(file)) { // "does not exist" sent a clerk looking at a folder that plainly does
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "The path " + file + " given to " + option + " is a folder:"
                    + " give the PEM file in it (e.g. " + file.resolve("NAME" + (option.contains("key") ? ".key" : ".crt")) + ").");
        }
        if (!Files.isRegularFile(file)) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "The file " + file + " given to " + option
                    + " does not exist: check the path (run from the project folder for the sample keys).");
        }
        return file;
    }
}

package org.referralbus.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Who the client is and which bus it talks to. Defaults are the sample PKI in {@code keys-sample/} and
 * {@code https://localhost:8443}, so the README walkthrough needs no flags; {@code --as ID} picks a sample
 * participant's certificate and key; {@code --cert}, {@code --key}, {@code --ca} and {@code --bus} override.
 */
final class ParticipantOptions {

    @Option(names = "--as", paramLabel = "ID", description = "a sample participant in keys-sample/ (agency default border-service, provider default shelter-dushanbe)")
    String as;

    @Option(names = "--bus", paramLabel = "URL", defaultValue = "https://localhost:8443", description = "bus address (default: ${DEFAULT-VALUE})")
    String bus;

    @Option(names = "--cert", paramLabel = "FILE", description = "your certificate (PEM); overrides --as")
    Path certificate;

    @Option(names = "--key", paramLabel = "FILE", description = "your private key (PEM); overrides --as")
    Path key;

    @Option(names = "--ca", paramLabel = "FILE", defaultValue = "keys-sample/ca.crt", description = "the deployment CA (default: ${DEFAULT-VALUE})")
    Path ca;

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "keys-sample", hidden = true)
    Path sampleKeys;

    @Option(names = "--retry-delay", paramLabel = "MILLIS", defaultValue = "1000", hidden = true,
            description = "first wait before retrying a network failure; doubled each time")
    long retryDelayMillis;

    BusClient connect(String folder, String defaultId) {
        return new BusClient(this, folder, defaultId, java.time.Duration.ofMillis(retryDelayMillis));
    }

    Path certificate(String folder, String defaultId) {
        return certificate != null ? existing(certificate, "--cert") : sample(folder, defaultId, ".crt");
    }

    Path key(String folder, String defaultId) {
        return key != null ? existing(key, "--key") : sample(folder, defaultId, ".key");
    }

    Path ca() {
        return existing(ca, "--ca");
    }

    private Path sample(String folder, String defaultId, String suffix) {
        String id = as != null ? as : defaultId;
        Path file = sampleKeys.resolve(folder).resolve(id + suffix);
        if (!Files.isRegularFile(file)) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "No sample " + folder.replaceAll("s$", "").replace("agencie", "agency")
                    + " \"" + id + "\" in " + sampleKeys.resolve(folder) + ": pick one of the files there with --as, or give --cert and --key.");
        }
        return file;
    }

    private static Path existing(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "The file " + file + " given to " + option
                    + " does not exist: check the path (run from the project folder for the sample keys).");
        }
        return file;
    }
}

package org.referralbus.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stock, non-Java AMQP 1.0 client: rhea on Node.js (installed with npm into {@code target/amqp-client} on first
 * use), driven by {@code src/test/resources/amqp-client/amqp-probe.js}. Each call connects as a participant of the
 * sample PKI and returns the script's JSON outcome ({@code message}, {@code accepted}, {@code refused}, {@code timeout}).
 */
public final class AmqpProbe {

    private static final Path CLIENT = Path.of("target/amqp-client");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AmqpProbe() {
    }

    public static void install() throws IOException, InterruptedException {
        installScript("amqp-probe.js");
    }

    /**
     * Installs rhea if missing and copies the script {@code name} next to it. The build runs tests in two JVMs at once
     * (the pom's {@code forkCount}), so a file lock keeps a second JVM from installing or copying over the first one's
     * work, and the script is replaced in one move: a node process already reading it never sees half a file.
     */
    static synchronized void installScript(String name) throws IOException, InterruptedException {
        Files.createDirectories(CLIENT);
        try (FileChannel lock = FileChannel.open(CLIENT.resolve(".install.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = lock.lock()) {
            if (!Files.isDirectory(CLIENT.resolve("node_modules/rhea"))) {
                run(List.of("npm", "install", "--prefix", CLIENT.toString(), "rhea@3.0.5", "--no-audit", "--no-fund"), 180);
            }
            Path copy = Files.createTempFile(CLIENT, name, ".tmp");
            Files.copy(Path.of("src/test/resources/amqp-client").resolve(name), copy, StandardCopyOption.REPLACE_EXISTING);
            Files.move(copy, CLIENT.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * @param port   the acceptor's port, or {@code plain:<port>} for no TLS
     * @param folder {@code keys-sample} folder of the participant, or null for no certificate
     * @param extra  receive: an optional selector; send: the file to send, then PROPERTY=VALUE pairs
     */
    public static JsonNode run(String mode, String port, String folder, String id, String address, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", CLIENT.resolve("amqp-probe.js").toString(), mode, "localhost", port,
                folder == null ? "-" : SampleKeys.certificate(folder, id).toString(),
                folder == null ? "-" : SampleKeys.key(folder, id).toString(),
                SampleKeys.ROOT.resolve("ca.crt").toString(), address));
        command.addAll(List.of(extra));
        String output = run(command, 60);
        String last = output.lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("amqp-probe printed no outcome:\n" + output));
        return JSON.readTree(last);
    }

    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish:\n" + output);
        }
        return output;
    }
}

package org.referralbus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.referralbus.ReferralBusApplication;

/**
 * What tests ask of the machine they run on: a free TCP port, whether a command is installed, and the command line of a
 * bus (or its command-line client) in a JVM of its own.
 */
public final class LocalMachine {

    private LocalMachine() {
    }

    /** A port nothing listens on right now (the OS's choice), for a bus, broker or proxy the test starts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code command} is on the PATH, so a test can skip with a reason instead of failing. */
    public static boolean onPath(String command) {
        try {
            return new ProcessBuilder("which", command).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * {@code java} with a heap of {@code heap} (e.g. {@code 512m}), C1 only (a test's JVM lives seconds to minutes, too
     * short for C2 to repay its compilations, as in the pom's test JVMs) and {@code classpath}, running the bus's main
     * class; the caller adds the arguments. Given this test JVM's own class path, the JVM runs the same main classes
     * from a jar with the tests' class-data-sharing archive ({@link TestBusArchive}), when it could be built.
     */
    public static List<String> busJvm(String heap, String classpath) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-XX:TieredStopAtLevel=1"));
        String launched = classpath;
        if (classpath.equals(System.getProperty("java.class.path"))) {
            Optional<TestBusArchive.Launch> archived = TestBusArchive.forTestClasspath();
            if (archived.isPresent()) {
                command.addAll(archived.get().jvmOptions());
                launched = archived.get().classpath();
            }
        }
        command.addAll(List.of("-cp", launched, ReferralBusApplication.class.getName()));
        return command;
    }

    /** This JVM's {@code java} binary. */
    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

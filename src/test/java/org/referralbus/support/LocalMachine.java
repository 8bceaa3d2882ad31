package org.referralbus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** What tests ask of the machine they run on: a free TCP port, and whether a command is installed. */
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
}

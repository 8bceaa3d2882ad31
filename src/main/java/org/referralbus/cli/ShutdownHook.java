package org.referralbus.cli;

/** A shutdown hook a command installs while it runs (Ctrl-C, a service manager's stop) and removes when it ends. */
final class ShutdownHook {

    private final Thread hook;

    ShutdownHook(String name, Runnable work) {
        hook = new Thread(work, name);
    }

    void install() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    void remove() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }
}

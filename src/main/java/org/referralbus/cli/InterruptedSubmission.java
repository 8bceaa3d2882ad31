package org.referralbus.cli;

import java.io.PrintWriter;

/**
 * What a clerk who presses Ctrl-C during {@code submit} is told: a shutdown hook that speaks only while a referral is
 * on its way (sent, no answer yet), since only then is it unknown whether the bus has it. Silence there was read as
 * "not sent", and a referral that had arrived was faxed.
 */
final class InterruptedSubmission {

    private final PrintWriter err;
    private final ShutdownHook hook = new ShutdownHook("submit-interrupted", this::say);
    private volatile String referralId;
    private volatile String file;

    InterruptedSubmission(PrintWriter err) {
        this.err = err;
    }

    void install() {
        hook.install();
    }

    void remove() {
        hook.remove();
    }

    void sending(String referralId, Object file) {
        this.file = String.valueOf(file);
        this.referralId = referralId;
    }

    void answered() {
        referralId = null;
    }

    /** The hook's words; package-private so that a test can hear them without stopping its JVM. */
    void say() {
        String id = referralId;
        if (id == null) {
            return;
        }
        err.println("Interrupted while referral " + id + " (" + file + ") was being sent: it may or may not have arrived."
                + " Run the same command again (safe: a referral that arrived gets its receipt back, and is not delivered"
                + " twice), or check with status " + id + ".");
        err.flush();
    }
}

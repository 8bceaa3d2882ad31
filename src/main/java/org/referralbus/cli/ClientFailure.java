package org.referralbus.cli;

/**
 * A client command that cannot go on, with one sentence a clerk understands (what is wrong, where, what to do)
 * and the documented exit code. Never carries referral content: ids, file names and problem codes only.
 */
final class ClientFailure extends RuntimeException {

    private final int exitCode;

    ClientFailure(int exitCode, String sentence) {
        super(sentence, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}

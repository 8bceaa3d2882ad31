package org.referralbus.cli;

/**
 * A client command that cannot go on, with one sentence a clerk understands (what is wrong, where, what to do)
 * and the documented exit code. Never carries referral content: ids, file names and problem codes only. A command
 * that knows more (which referral, what the clerk was doing) may say it again in its own words: the bus's problem
 * code, and whether a request whose answer never came may have arrived, travel with the sentence for that.
 */
final class ClientFailure extends RuntimeException {

    private final int exitCode;
    private final String problemCode;
    private final boolean mayHaveArrived;

    ClientFailure(int exitCode, String sentence) {
        this(exitCode, sentence, null, false);
    }

    ClientFailure(int exitCode, String sentence, String problemCode, boolean mayHaveArrived) {
        super(sentence, null, false, false);
        this.exitCode = exitCode;
        this.problemCode = problemCode;
        this.mayHaveArrived = mayHaveArrived;
    }

    int exitCode() {
        return exitCode;
    }

    /** The bus's problem code ({@code duplicate_conflict}, {@code not_found}, …) when the bus answered with one, else null. */
    String problemCode() {
        return problemCode;
    }

    /**
     * True when a request was handed whole to a connection and no answer came back (a timeout, a reset, the end of the
     * stream): the bus may have it. Never true for a connection that could not be opened or a 408 alone.
     */
    boolean mayHaveArrived() {
        return mayHaveArrived;
    }
}

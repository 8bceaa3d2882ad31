package org.referralbus.cli;

/**
 * Exit codes of the participant commands (submit, status, inbox, fetch, ack), documented in docs/integrators.md.
 */
final class ClientCommands {

    /** Everything done. */
    static final int OK = 0;
    /** The bus refused something, or a file failed local validation; the message says which and why. */
    static final int REFUSED = 1;
    /** Could not run: wrong option, missing file, unreadable key. Nothing was sent. */
    static final int CANNOT_RUN = 2;
    /** The bus could not be reached after retries. Running the same command again is safe. */
    static final int UNREACHABLE = 3;
    /** An answer claiming to come from the bus is not signed by the bus: do not trust it, tell the operator. */
    static final int NOT_FROM_BUS = 4;

    static final String AGENCIES = "agencies";
    static final String PROVIDERS = "providers";
    static final String DEFAULT_AGENCY = "border-service";
    static final String DEFAULT_PROVIDER = "shelter-dushanbe";

    private ClientCommands() {
    }
}

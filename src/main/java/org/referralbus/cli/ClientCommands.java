package org.referralbus.cli;

import org.referralbus.core.Causes;

/**
 * Exit codes of the participant commands (submit, status, inbox, fetch, ack, erase, …), documented in docs/integrators.md.
 */
final class ClientCommands {

    /** Everything done. */
    static final int OK = 0;
    /** The bus refused something, or a file failed local validation; the message says which and why. */
    static final int REFUSED = 1;
    /** Could not run: wrong option, missing or unreadable file, unreadable key. Nothing was sent. */
    static final int CANNOT_RUN = 2;
    /** The bus could not be reached after retries. Running the same command again is safe. */
    static final int UNREACHABLE = 3;
    /** An answer claiming to come from the bus is not signed by the bus: do not trust it, tell the operator. */
    static final int NOT_FROM_BUS = 4;
    /** {@code erase} on a terminal: the referral id was not typed back, so nothing was erased. */
    static final int NOT_CONFIRMED = 5;

    static final String AGENCIES = "agencies";
    static final String PROVIDERS = "providers";
    static final String DEFAULT_AGENCY = "border-service";
    static final String DEFAULT_PROVIDER = "shelter-dushanbe";

    private ClientCommands() {
    }

    /**
     * The broker said no to this participant (Artemis's security: no such right, or a failed login), which sending again
     * cannot change, unlike a broker that is down. Told from its words: AMQP's unauthorized-access condition and Artemis's
     * AMQ229031/AMQ229032 codes.
     */
    static boolean brokerRefused(Throwable failure) {
        for (Throwable cause : Causes.chain(failure)) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("unauthorized-access") || message.contains("AMQ229031") || message.contains("AMQ229032")) {
                return true;
            }
        }
        return false;
    }
}

package org.referralbus.cli;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.referralbus.core.Causes;

/**
 * What went wrong with each try of one request, and the one sentence that tells a clerk what it means once the tries
 * are used up. The distinction that matters on a bad line: a connection that could not be opened (nothing was sent),
 * a request the bus cut off as too slow (408: nothing was stored), and a request sent whole whose answer never came
 * (it may have arrived, and sending it again is safe: the bus answers a repeat with the same receipt). A TLS handshake
 * broken by the line is a network failure like the others; only a certificate the other side refused, or one this side
 * could not trust, is blamed on certificates.
 */
final class SendAttempts {

    enum Trouble {
        /** TCP connect refused, unknown host: nothing left this computer. */
        NOT_OPENED,
        /** No connection (TCP and TLS handshake) within the connect timeout: a very slow line, or no bus there. */
        NOT_OPENED_IN_TIME,
        /** The line broke during the TLS handshake (end of stream, reset) with no certificate or alert cause: nothing sent. */
        HANDSHAKE_CUT,
        /** HTTP 408: the bus stopped waiting for the rest of the request; nothing was stored. */
        TOO_SLOW,
        /** The connection broke or timed out before the request was sent whole, or before a GET was answered. */
        NO_ANSWER,
        /** The request was handed whole to the connection and no answer came back: the bus may have it. */
        ANSWER_LOST
    }

    /** Alerts a TLS peer sends about a certificate, and the words of a certificate this side could not trust. */
    private static final Pattern CERTIFICATE_WORDS = Pattern.compile("bad_certificate|unsupported_certificate|certificate_revoked"
            + "|certificate_expired|certificate_unknown|unknown_ca|access_denied|certificate_required|PKIX|No subject alternative");

    private final URI bus;
    private final List<Trouble> troubles = new ArrayList<>();

    SendAttempts(URI bus) {
        this.bus = bus;
    }

    void failed(Trouble trouble) {
        troubles.add(trouble);
    }

    /** The kind of a failed exchange; a TLS failure that is a certificate's (or that is no network fault) is thrown at once. */
    Trouble of(IOException failure, boolean bodyHandedOver) {
        if (failure instanceof SSLException tls && !tlsCutByTheLine(tls)) {
            throw certificateRefused(tls);
        }
        if (failure instanceof SSLException) {
            return Trouble.HANDSHAKE_CUT;
        }
        if (failure instanceof HttpConnectTimeoutException) {
            return Trouble.NOT_OPENED_IN_TIME;
        }
        if (failure instanceof ConnectException || failure instanceof UnknownHostException) {
            return Trouble.NOT_OPENED;
        }
        return bodyHandedOver ? Trouble.ANSWER_LOST : Trouble.NO_ANSWER;
    }

    /**
     * An end of stream, a reset or "Remote host terminated the handshake" with no certificate exception and no
     * certificate alert anywhere in the causes: the line, not the keys.
     */
    static boolean tlsCutByTheLine(SSLException failure) {
        if (certificateCause(failure)) {
            return false;
        }
        for (Throwable cause : Causes.chain(failure)) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof EOFException || cause instanceof SocketException
                    || message.contains("Remote host terminated the handshake") || message.contains("Connection reset")
                    || message.contains("Broken pipe")) {
                return true;
            }
        }
        return false;
    }

    /** A certificate exception, or a certificate alert's words, anywhere in the causes. */
    private static boolean certificateCause(Throwable failure) {
        for (Throwable cause : Causes.chain(failure)) {
            if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
                    || cause instanceof CertPathBuilderException || CERTIFICATE_WORDS.matcher(String.valueOf(cause.getMessage())).find()) {
                return true;
            }
        }
        return false;
    }

    /** The JDK's words when the server's certificate does not name the host the client asked for. */
    private static final Pattern OTHER_NAME = Pattern.compile("No subject alternative (DNS )?names? matching|No name matching");

    private ClientFailure certificateRefused(SSLException tls) {
        for (Throwable cause : Causes.chain(tls)) {
            if (OTHER_NAME.matcher(String.valueOf(cause.getMessage())).find()) {
                // another name or address of the right machine: the CA and the clerk's certificate are fine
                return new ClientFailure(ClientCommands.UNREACHABLE, "The bus at " + bus + " has a TLS certificate that does not"
                        + " name \"" + bus.getHost() + "\": give --bus (or bus= in the profile) the address as your operator"
                        + " wrote it, not another name or IP address of that computer; nothing was sent.");
            }
        }
        if (certificateCause(tls)) {
            return new ClientFailure(ClientCommands.UNREACHABLE, "The TLS handshake with " + bus
                    + " failed: check --ca (the bus's CA) and that your certificate is from that CA.");
        }
        return new ClientFailure(ClientCommands.UNREACHABLE, "The TLS handshake with " + bus + " failed (" + tls.getMessage()
                + "): check that " + bus + " is the Referral Bus, and tell its operator.");
    }

    /** The sentence once every try failed (or the last one a 408), from what happened on all of them. */
    ClientFailure exhausted() {
        String tried = " (tried " + troubles.size() + " times)";
        if (troubles.contains(Trouble.ANSWER_LOST)) {
            return new ClientFailure(ClientCommands.UNREACHABLE, "Sent to the bus at " + bus + ", but no answer came back" + tried
                    + ": it may have arrived. Running the same command again is safe (the bus answers a repeat as it did the"
                    + " first time, and does nothing twice).", null, true);
        }
        if (troubles.contains(Trouble.TOO_SLOW)) {
            return new ClientFailure(ClientCommands.UNREACHABLE, "The line to the bus at " + bus + " is too slow: the bus stopped"
                    + " waiting for the request before it had all of it (HTTP 408, tried " + troubles.size() + " times), so nothing was stored."
                    + " Run the same command again, on a better line if you can.");
        }
        if (troubles.contains(Trouble.NO_ANSWER)) {
            return new ClientFailure(ClientCommands.UNREACHABLE, "The connection to the bus at " + bus + " broke before an answer"
                    + " came" + tried + ": the line is bad; run the same command again.");
        }
        if (troubles.contains(Trouble.HANDSHAKE_CUT)) {
            return new ClientFailure(ClientCommands.UNREACHABLE, "Cannot reach the bus at " + bus + tried + ": the line broke"
                    + " during the TLS handshake (a network fault, not a certificate problem); nothing was sent. Run the same"
                    + " command again when the line is better.");
        }
        if (troubles.contains(Trouble.NOT_OPENED_IN_TIME)) {
            return new ClientFailure(ClientCommands.UNREACHABLE, "Cannot reach the bus at " + bus + tried + ": no connection"
                    + " within " + BusClient.CONNECT_TIMEOUT.toSeconds() + " s, so nothing was sent. The line may be too slow;"
                    + " otherwise check the address given with --bus and that the bus is running. Then run the command again.");
        }
        return new ClientFailure(ClientCommands.UNREACHABLE, "Cannot reach the bus at " + bus + tried
                + ": check the address given with --bus and that the bus is running, then run the command again.");
    }
}

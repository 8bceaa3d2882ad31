package org.referralbus.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Whether what answers TLS at the bus address also answers HTTP: asked once per command, and only when the first
 * request there has had no answer for a few seconds. The broker's TLS acceptor takes the participant's certificate as
 * the bus does, then reads an HTTP request as the start of a message it waits for the rest of, and says nothing; a
 * clerk who gave {@code --bus} its port waited 3 minutes for each of 4 tries, told only "a slow line?".
 *
 * <p>Sends {@code GET /api/v1/bus/certificate}, which changes nothing and which every participant may read, with the
 * participant's certificate, checking the server's name as the HTTP client does. Silence is no evidence: a bus so busy
 * that this request too waits was taken for the broker. So a silent address is then greeted, on another connection, as
 * an AMQP client greets the broker (the 8-byte AMQP protocol header, SASL layer): the broker answers with its own header
 * at once, and only that answer, or bytes that are not HTTP, is the broker's port. A web server answers the header
 * {@code HTTP/1.1 400}, or when busy not at all: a slow bus, waited for.
 *
 * <p>The broker logs the greeting as one {@code AMQ212037 … REMOTE_DISCONNECT} warning. Its AMQP connection warns unless
 * the client sent an AMQP close (Artemis 2.43, {@code ActiveMQProtonRemotingConnection.fail}), which may only follow a
 * SASL login and an open ({@code listen}, which closes so, leaves none: seen 2026-12-05). The probe must not log in as
 * the participant, so it ends at the headers and the warning stays.
 */
final class AddressProbe {

    enum Verdict {
        /** The answer starts {@code HTTP/}: a web server, the bus presumably, only slow now. */
        HTTP,
        /** TLS completed, then bytes that are not HTTP, or the broker's AMQP header in answer to an AMQP client's. */
        NOT_HTTP,
        /**
         * No verdict: the connection or handshake failed, the other side closed without a word (a bad line can), or it
         * said nothing to either question (a bus too busy to answer within the wait).
         */
        UNKNOWN
    }

    /** An AMQP 1.0 client's first bytes, the SASL layer (protocol id 3), as {@code listen} sends them to the broker. */
    static final byte[] AMQP_SASL_HEADER = {'A', 'M', 'Q', 'P', 3, 1, 0, 0};

    private AddressProbe() {
    }

    static Verdict of(SSLContext tls, URI bus, Duration connectTimeout, Duration answerWait) {
        byte[] get = ("GET /api/v1/bus/certificate HTTP/1.1\r\nHost: " + bus.getRawAuthority()
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Verdict asHttp = ask(tls, bus, connectTimeout, answerWait, get, "HTTP/");
        if (asHttp != null) {
            return asHttp;
        }
        Verdict asAmqp = ask(tls, bus, connectTimeout, answerWait, AMQP_SASL_HEADER, "AMQP");
        if (asAmqp == Verdict.HTTP) {
            return Verdict.HTTP; // a web server refusing the header: HTTP spoken, slow for real requests
        }
        return asAmqp == Verdict.NOT_HTTP ? Verdict.NOT_HTTP : Verdict.UNKNOWN;
    }

    /**
     * Sends {@code question} after TLS and reads the answer's first bytes: {@link Verdict#HTTP} for {@code HTTP/};
     * {@link Verdict#NOT_HTTP} for {@code expected} when it is not {@code HTTP/}, or for other bytes; null for silence
     * through the wait after TLS completed; {@link Verdict#UNKNOWN} otherwise.
     */
    private static Verdict ask(SSLContext tls, URI bus, Duration connectTimeout, Duration answerWait, byte[] question,
                               String expected) {
        int port = bus.getPort() < 0 ? 443 : bus.getPort();
        boolean handshaken = false;
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(bus.getHost(), port), (int) connectTimeout.toMillis());
            plain.setSoTimeout((int) connectTimeout.toMillis());
            try (SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, bus.getHost(), port, false)) {
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                handshaken = true;
                secure.setSoTimeout((int) Math.max(1, answerWait.toMillis()));
                OutputStream out = secure.getOutputStream();
                out.write(question);
                out.flush();
                return firstBytes(secure.getInputStream(), expected);
            }
        } catch (SocketTimeoutException silent) {
            return handshaken ? null : Verdict.UNKNOWN;
        } catch (IOException | RuntimeException noVerdict) {
            return Verdict.UNKNOWN;
        }
    }

    /**
     * The answer's first bytes, one at a time, while they may still be {@code HTTP/} or {@code expected}: a server that
     * has begun {@code HTTP/} is answering, however slowly.
     */
    private static Verdict firstBytes(InputStream in, String expected) throws IOException {
        String http = "HTTP/";
        StringBuilder got = new StringBuilder();
        try {
            while (http.startsWith(got.toString()) || expected.startsWith(got.toString())) {
                if (got.toString().equals(http)) {
                    return Verdict.HTTP;
                }
                if (got.toString().equals(expected)) {
                    return Verdict.NOT_HTTP;
                }
                int b = in.read();
                if (b < 0) {
                    return got.isEmpty() ? Verdict.UNKNOWN : Verdict.NOT_HTTP;
                }
                got.append((char) b);
            }
            return Verdict.NOT_HTTP; // bytes that are neither
        } catch (SocketTimeoutException stopped) {
            if (got.isEmpty()) {
                throw stopped; // silence: no evidence either way
            }
            return http.startsWith(got.toString()) ? Verdict.HTTP : Verdict.NOT_HTTP;
        }
    }
}

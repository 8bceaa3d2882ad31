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
 * clerk who gave {@code --bus} its port waited 3 minutes for each of 4 tries, told only "a slow line?". A bus answers
 * a small request on a connection of its own within a second or two even on a slow line (its first bytes, not the whole
 * answer, are what is awaited), however long the request in flight is taking.
 *
 * <p>Sends {@code GET /api/v1/bus/certificate}, which changes nothing and which every participant may read, with the
 * participant's certificate, checking the server's name as the HTTP client does.
 */
final class AddressProbe {

    enum Verdict {
        /** The answer starts {@code HTTP/}: a web server, the bus presumably, only slow now. */
        HTTP,
        /** TLS completed, then no byte of an answer within the wait, or bytes that are not HTTP. */
        NOT_HTTP,
        /** No verdict: the connection or handshake failed, or the other side closed without a word (a bad line can). */
        UNKNOWN
    }

    private AddressProbe() {
    }

    static Verdict of(SSLContext tls, URI bus, Duration connectTimeout, Duration answerWait) {
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
                out.write(("GET /api/v1/bus/certificate HTTP/1.1\r\nHost: " + bus.getRawAuthority()
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return firstBytes(secure.getInputStream());
            }
        } catch (SocketTimeoutException silent) {
            return handshaken ? Verdict.NOT_HTTP : Verdict.UNKNOWN;
        } catch (IOException | RuntimeException noVerdict) {
            return Verdict.UNKNOWN;
        }
    }

    /** The answer's first bytes, one at a time: a server that has begun {@code HTTP/} is answering, however slowly. */
    private static Verdict firstBytes(InputStream in) throws IOException {
        byte[] http = "HTTP/".getBytes(StandardCharsets.US_ASCII);
        int got = 0;
        try {
            while (got < http.length) {
                int b = in.read();
                if (b < 0) {
                    return got == 0 ? Verdict.UNKNOWN : Verdict.NOT_HTTP;
                }
                if (b != http[got]) {
                    return Verdict.NOT_HTTP;
                }
                got++;
            }
            return Verdict.HTTP;
        } catch (SocketTimeoutException stopped) {
            return got == 0 ? Verdict.NOT_HTTP : Verdict.HTTP;
        }
    }
}

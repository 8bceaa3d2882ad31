package org.referralbus.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntPredicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.referralbus.support.ProviderWebhookServer;

/**
 * A stand-in bus behind a bad line, at the level of sockets: each connection (numbered from 1) is either cut before the
 * TLS handshake (reset, or closed: the client sees the end of the stream before the server's first bytes), or served
 * over TLS with the sample {@code localhost} certificate, where the script answers the request, or reads it whole and
 * closes without answering (the answer lost on the line). {@code GET /api/v1/bus/certificate} is answered with the
 * sample bus certificate unless the connection is cut.
 */
final class BadLineBus implements AutoCloseable {

    record Request(int connection, String method, String path, byte[] body) {
    }

    /** An answer, after {@code delayMillis}; a null answer from the script closes the connection unanswered. */
    record Answer(int status, String body, long delayMillis) {
        static Answer json(int status, String body) {
            return new Answer(status, body, 0);
        }
    }

    enum Cut { RESET, CLOSE }

    private final ServerSocket server;
    private final SSLContext tls;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final IntPredicate cutInHandshake;
    private final Cut cut;
    private final BiFunction<Request, Integer, Answer> script;
    private final boolean silent;
    /** Sent with the certificate as the bus sends its {@code referral-bus.intake.max-envelope-bytes}; none if null. */
    private volatile Integer maxEnvelopeBytes;
    /** How long the certificate's answer takes: a bus too busy to answer any request at once. */
    private volatile long certificateDelayMillis;
    /** Signs receipts as the bus does; none if null. */
    private volatile org.referralbus.envelope.EnvelopeSealer receiptSigner;

    /** {@code script} gets the request and how many requests of that method and path came before it (0 for the first). */
    BadLineBus(IntPredicate cutInHandshake, Cut cut, BiFunction<Request, Integer, Answer> script) throws Exception {
        this(cutInHandshake, cut, script, false);
    }

    /**
     * Not a bus: a port that completes TLS with the participant's certificate, as the broker's acceptor does, then reads
     * whatever comes and never answers, until the client goes away; except that an AMQP client's protocol header is
     * answered with the broker's own, as the broker's acceptor answers it.
     */
    static BadLineBus silentAfterTls() throws Exception {
        return new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null, true);
    }

    private BadLineBus(IntPredicate cutInHandshake, Cut cut, BiFunction<Request, Integer, Answer> script, boolean silent)
            throws Exception {
        this.silent = silent;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.tls = ProviderWebhookServer.sslContext();
        this.cutInHandshake = cutInHandshake;
        this.cut = cut;
        this.script = script;
        threads.execute(this::accept);
    }

    String address() {
        return "https://localhost:" + server.getLocalPort();
    }

    /** Answers {@code GET /api/v1/bus/certificate} too only after {@code millis}, as an overloaded bus would. */
    BadLineBus answeringTheCertificateAfter(long millis) {
        certificateDelayMillis = millis;
        return this;
    }

    /** Signs each 2xx answer to {@code POST /api/v1/referrals} with the sample bus key, as the bus signs its receipts. */
    BadLineBus signingReceipts() throws Exception {
        receiptSigner = new org.referralbus.envelope.EnvelopeSealer(
                org.referralbus.envelope.PemFiles.readPrivateKey(Path.of("keys-sample/bus/bus.key")),
                org.referralbus.envelope.PemFiles.readCertificate(Path.of("keys-sample/bus/bus.crt")));
        return this;
    }

    /** Says with the certificate, as the bus does, that it takes envelopes of at most {@code bytes}. */
    BadLineBus takingEnvelopesUpTo(int bytes) {
        maxEnvelopeBytes = bytes;
        return this;
    }

    int connections() {
        return connections.get();
    }

    List<Request> requests(String method, String pathStart) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathStart)).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                int number = connections.incrementAndGet();
                threads.execute(() -> serve(socket, number));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket, int number) {
        try (socket) {
            if (cutInHandshake.test(number)) {
                if (cut == Cut.RESET) {
                    socket.setSoLinger(true, 0);
                }
                return;
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), false);
            secure.setUseClientMode(false);
            try (secure) {
                if (silent) {
                    byte[] start = secure.getInputStream().readNBytes(4);
                    if (new String(start, StandardCharsets.ISO_8859_1).equals("AMQP")) {
                        secure.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0});
                        secure.getOutputStream().flush();
                    }
                    secure.getInputStream().transferTo(OutputStream.nullOutputStream());
                    return;
                }
                Request request = read(number, secure.getInputStream());
                int before = (int) requests.stream().filter(r -> r.method().equals(request.method())
                        && r.path().equals(request.path())).count();
                requests.add(request);
                Answer answer = request.path().equals("/api/v1/bus/certificate")
                        ? new Answer(200, Files.readString(Path.of("keys-sample/bus/bus.crt")), certificateDelayMillis)
                        : script.apply(request, before);
                if (answer != null) {
                    Thread.sleep(answer.delayMillis());
                    write(secure.getOutputStream(), answer, headers(request, answer));
                }
            }
        } catch (IOException | InterruptedException gone) {
            // the client went away: nothing to serve
        }
    }

    private String headers(Request request, Answer answer) {
        if (request.path().equals("/api/v1/bus/certificate") && maxEnvelopeBytes != null) {
            return "Referral-Bus-Max-Envelope-Bytes: " + maxEnvelopeBytes + "\r\n";
        }
        if (receiptSigner != null && request.method().equals("POST") && answer.status() / 100 == 2) {
            return "Referral-Bus-Receipt-Signature: " + java.util.Base64.getEncoder().encodeToString(
                    receiptSigner.signDetached(answer.body().getBytes(StandardCharsets.UTF_8))) + "\r\n";
        }
        return "";
    }

    private static Request read(int number, InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the headers");
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        int length = 0;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return new Request(number, requestLine[0], requestLine[1], in.readNBytes(length));
    }

    private static void write(OutputStream out, Answer answer, String headers) throws IOException {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        String type = answer.status() / 100 == 2 ? (answer.body().startsWith("-----") ? "application/x-pem-file" : "application/json")
                : "application/problem+json";
        out.write(("HTTP/1.1 " + answer.status() + " Scripted\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n" + headers + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}

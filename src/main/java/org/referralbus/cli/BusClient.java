package org.referralbus.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.referralbus.core.ClientTls;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.participants.ParticipantIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The participant's mutual-TLS connection to the bus. Trusts only the deployment CA (for the server and for
 * the bus's signatures), presents the participant's certificate, and retries network failures (a TLS handshake the
 * line broke among them), a 408 (the bus stopped waiting for a slow upload: nothing stored), and answers that say when
 * to come back (503 with {@code Retry-After}: the bus starting, or the same referral in progress), with the very same
 * request body, which the bus treats idempotently. What the tries met decides the last sentence ({@link SendAttempts}):
 * above all, whether a request sent whole may have arrived.
 */
final class BusClient {

    static final int ATTEMPTS = 4;
    /** A clerk waits at most this long for one {@code Retry-After}; a longer one is reported, not slept through. */
    static final Duration LONGEST_RETRY_AFTER = Duration.ofSeconds(30);
    static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * How long one TCP connection and TLS handshake may take: as long as the bus waits for them
     * ({@code server.tomcat.connection-timeout}, 30 s), which a handshake with a client certificate needs at ~150 B/s.
     */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long one request may wait for its whole answer before it counts as a failed try: the upload included, so
     * longer than the bus's {@code referral-bus.intake.upload-timeout} (2 min of silence), which a 20 KB envelope at
     * ~150 B/s needs; a shorter wait here gave up on uploads the bus was still taking.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(3);

    private final URI bus;
    private final HttpClient http;
    private final CertificateTrust trust;
    private final ParticipantIdentity identity;
    private final Duration firstBackoff;
    private final SSLContext ssl;
    private final PrintWriter waiting;
    private final Duration waitNotice;
    private volatile boolean waitingSaid;
    /** How long a first answer may take before the address is asked whether it speaks HTTP at all ({@link AddressProbe}). */
    private final Duration firstAnswerWait;
    /** True once the address has answered HTTP in this command: from then on, a slow answer is a slow line. */
    private volatile boolean answeredHttp;

    /** {@code waiting} (the command's error stream, or null) hears once when an answer takes longer than {@code waitNotice}. */
    BusClient(ParticipantOptions options, String folder, String defaultId, Duration firstBackoff, PrintWriter waiting,
              Duration waitNotice) {
        this.bus = address(options.bus());
        Path certificateFile = options.certificate(folder, defaultId);
        X509Certificate certificate = readable(() -> PemFiles.readCertificate(certificateFile), "certificate");
        inItsTime(certificate, certificateFile, Clock.systemUTC());
        PrivateKey key = readable(() -> PemFiles.readPrivateKey(options.key(folder, defaultId)), "private key");
        List<X509Certificate> anchors = readable(() -> PemFiles.readCertificates(options.ca()), "CA certificate");
        this.trust = new CertificateTrust(anchors, Clock.systemUTC());
        this.identity = readable(() -> ParticipantIdentity.of(certificate), "certificate");
        this.ssl = tls(certificate, key, anchors);
        this.http = HttpClient.newBuilder().sslContext(ssl)
                .connectTimeout(CONNECT_TIMEOUT).build();
        this.firstBackoff = firstBackoff;
        this.waiting = waiting;
        this.waitNotice = waitNotice;
        this.firstAnswerWait = options.firstAnswerWait();
    }

    URI address() {
        return bus;
    }

    ParticipantIdentity identity() {
        return identity;
    }

    /**
     * The bus refuses an expired certificate in the handshake, which a client cannot tell from a wrong CA or a network
     * fault (and a clerk told to retry would retry for ever): said before connecting, naming the file and the date.
     */
    static void inItsTime(X509Certificate certificate, Path file, Clock clock) {
        java.util.Date now = java.util.Date.from(clock.instant());
        if (now.after(certificate.getNotAfter())) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "Your certificate " + file + " expired on "
                    + certificate.getNotAfter().toInstant() + ": ask the bus's operator for a new one (participant add); nothing was sent.");
        }
        if (now.before(certificate.getNotBefore())) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "Your certificate " + file + " is valid only from "
                    + certificate.getNotBefore().toInstant() + ": check this computer's clock, or wait; nothing was sent.");
        }
    }

    CertificateTrust trust() {
        return trust;
    }

    /** The participant's certificate and key, trusting only the deployment CA: for the broker's TLS acceptor too. */
    SSLContext sslContext() {
        return ssl;
    }

    HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), null);
    }

    HttpResponse<byte[]> post(String path, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType), body);
    }

    /** The answer as JSON when it is 2xx; otherwise a {@link ClientFailure} naming the bus's problem code. */
    JsonNode json(HttpResponse<byte[]> response) {
        ensureSuccess(response);
        try {
            return JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new ClientFailure(ClientCommands.REFUSED, "The bus answered with something that is not JSON: is " + bus + " the Referral Bus?");
        }
    }

    void ensureSuccess(HttpResponse<byte[]> response) {
        if (response.statusCode() / 100 == 2) {
            return;
        }
        String code = "http_" + response.statusCode();
        String detail = "";
        try {
            JsonNode problem = JSON.readTree(response.body());
            code = problem.path("code").asString(code);
            detail = problem.path("detail").asString("") + violations(problem.path("violations"));
        } catch (RuntimeException e) {
            // not problem details: keep the status code
        }
        throw new ClientFailure(ClientCommands.REFUSED, "The bus refused this (" + code + ")" + (detail.isBlank() ? "" : ": " + detail)
                + hint(code, detail), code, false);
    }

    /**
     * The schema's findings the bus sent with a {@code schema_violation} ("1 schema violation(s)" alone said nothing),
     * each with its line and column when the bus knows them; none names a value of the referral.
     */
    static String violations(JsonNode violations) {
        List<String> found = new java.util.ArrayList<>();
        for (JsonNode violation : violations) {
            int line = violation.path("line").asInt(-1);
            found.add((line > 0 ? "line " + line + ":" + violation.path("column").asInt(-1) + ": " : "")
                    + violation.path("message").asString(""));
        }
        return found.isEmpty() ? "" : " (" + String.join("; ", found) + ")";
    }

    /**
     * A {@code duplicate_conflict} means the referral with this id arrived earlier: a clerk told to give it a new id made a
     * second referral of the same person, and two shelters took her in. The bus's own detail says this; an older bus's
     * did not.
     */
    static final String DUPLICATE_ADVICE = "A referral with this referralId from your agency arrived earlier: the bus holds it,"
            + " and gave its receipt then. If you are sending it again after a failed or unanswered send, nothing more is needed:"
            + " check it with status. To correct it, send a new referral that names it in header/supersedes. Only a different"
            + " person gets a new referralId.";

    /** What to do; for a not_found whose detail already says it ("…: ask the coordinator"), nothing more. */
    static String hint(String code, String detail) {
        return switch (code) {
            case "not_found" -> detail.contains(": ") ? "."
                    : detail.contains("dead letter") ? ". Check the id with admin dead-letters list."
                    : ". Check the id: you only see your own referrals and deliveries.";
            case "unauthenticated", "participant_not_registered", "participant_key_mismatch", "certificate_malformed" ->
                    ". Your certificate is not accepted: check --as / --cert / --key, or ask the bus operator.";
            case "forbidden" -> ". Your role may not do this: agencies submit and read status, providers use the inbox.";
            case "duplicate_conflict" -> detail.contains("arrived earlier") ? "" : ". " + DUPLICATE_ADVICE;
            case "signer_mismatch" -> ". The file's sender must be the participant you connect as: use --as with the sender's id.";
            case "payload_too_large" -> ". The file is too large for the bus, so nothing was stored: a referral is a few"
                    + " kilobytes; check that the file holds one referral's XML and nothing else (no attachment, no pasted document).";
            case "rate_limited", "concurrency_limited" -> ". Wait a minute and run the command again.";
            case "bus_not_ready", "referral_in_progress" -> ". The bus is starting, or still busy with this referral: run the"
                    + " command again in a minute (nothing is sent twice).";
            default -> ".";
        };
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, byte[] body) {
        Duration backoff = firstBackoff;
        SendAttempts attempts = new SendAttempts(bus);
        for (int attempt = 1; ; attempt++) {
            HandedOverBody handedOver = body == null ? null : new HandedOverBody(body);
            if (handedOver != null) {
                request.POST(handedOver);
            }
            try {
                HttpResponse<byte[]> response = exchange(request.timeout(REQUEST_TIMEOUT).build());
                if (response.statusCode() == 408) { // the bus stopped waiting for a slow upload: nothing stored, send again
                    attempts.failed(SendAttempts.Trouble.TOO_SLOW);
                } else {
                    Duration comeBack = retryAfter(response);
                    if (comeBack == null || attempt >= ATTEMPTS) {
                        return response;
                    }
                    sleep(comeBack);
                    continue;
                }
            } catch (IOException e) {
                attempts.failed(attempts.of(e, handedOver != null && handedOver.whole()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "Interrupted.");
            }
            if (attempt >= ATTEMPTS) {
                throw attempts.exhausted();
            }
            sleep(backoff);
            backoff = backoff.multipliedBy(2);
        }
    }

    /**
     * One exchange; a clerk who has waited {@link #waitNotice} for its answer is told, once per command, what is going on.
     * Until the address has answered HTTP in this command, a first answer that takes longer than {@link #firstAnswerWait}
     * has the address asked, on a connection of its own, whether it speaks HTTP at all ({@link AddressProbe}): one that
     * answers as the broker does is the broker's port, said at once, not waited for 4 times 3 minutes. A bus that has
     * answered once, begins to answer the probe, or says nothing to it either (a bus too busy to answer within the wait,
     * which was taken for the broker), is waited for as long as before (a slow line), and the clerk told so.
     */
    private HttpResponse<byte[]> exchange(HttpRequest request) throws IOException, InterruptedException {
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        AtomicBoolean probing = new AtomicBoolean();
        CompletableFuture.runAsync(() -> {
            if (!probing.get()) {
                sayWaiting(answer);
            }
        }, CompletableFuture.delayedExecutor(waitNotice.toMillis(), TimeUnit.MILLISECONDS));
        if (!answeredHttp) {
            try {
                answer.get(firstAnswerWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException slow) {
                probing.set(true);
                httpSpokenAt(answer);
                probing.set(false);
                if (System.nanoTime() - started >= waitNotice.toNanos()) {
                    sayWaiting(answer);
                }
            } catch (java.util.concurrent.ExecutionException failed) {
                // said below, as the HTTP client throws it
            }
        }
        HttpResponse<byte[]> response = answerOf(answer);
        answeredHttp = true;
        return response;
    }

    /**
     * Waits for the probe's verdict, or for the answer if it comes first; an address that does not speak HTTP ends the
     * command with one sentence. The request is abandoned: nothing of it reached a bus.
     */
    private void httpSpokenAt(CompletableFuture<HttpResponse<byte[]>> answer) throws InterruptedException {
        CompletableFuture<AddressProbe.Verdict> verdict = CompletableFuture.supplyAsync(
                () -> AddressProbe.of(ssl, bus, CONNECT_TIMEOUT, firstAnswerWait));
        try {
            CompletableFuture.anyOf(answer, verdict).get();
        } catch (java.util.concurrent.ExecutionException answerFailed) {
            return; // the answer failed first: said as the HTTP client throws it
        }
        if (!answer.isDone() && verdict.getNow(AddressProbe.Verdict.UNKNOWN) == AddressProbe.Verdict.NOT_HTTP) {
            answer.cancel(true);
            throw new ClientFailure(ClientCommands.UNREACHABLE, "The address " + bus + " (--bus, or bus= in the profile)"
                    + " answered TLS but not HTTP: it is probably the message broker's port (the one listen and --over amqp"
                    + " use), not the bus's HTTPS port (8443 unless your operator chose another). Give --bus the bus's address"
                    + " as your operator wrote it, e.g. https://" + bus.getHost() + ":8443; nothing reached the bus.");
        }
        if (verdict.getNow(AddressProbe.Verdict.UNKNOWN) == AddressProbe.Verdict.UNKNOWN) {
            sayWaiting(answer); // no evidence of a wrong port: a slow bus, as the normal path says it
        }
    }

    /** The answer, or the failure the HTTP client's {@code send} would have thrown. */
    private static HttpResponse<byte[]> answerOf(CompletableFuture<HttpResponse<byte[]>> answer)
            throws IOException, InterruptedException {
        try {
            return answer.get();
        } catch (java.util.concurrent.ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        } catch (InterruptedException interrupted) {
            answer.cancel(true);
            throw interrupted;
        }
    }

    private synchronized void sayWaiting(CompletableFuture<?> answer) {
        if (!answer.isDone() && waiting != null && !waitingSaid) {
            waitingSaid = true;
            waiting.println("Waiting for the bus's answer (a slow line?): this tool waits up to "
                    + REQUEST_TIMEOUT.toSeconds() + " s, then tries again.");
            waiting.flush();
        }
    }

    /** The wait a 503 asks for, when it asks for one a clerk can sit through; otherwise null (answer as it is). */
    private static Duration retryAfter(HttpResponse<?> response) {
        if (response.statusCode() != 503) {
            return null;
        }
        try {
            Duration asked = response.headers().firstValue("Retry-After").map(v -> Duration.ofSeconds(Long.parseLong(v.trim())))
                    .orElse(null);
            return asked == null || asked.isNegative() || asked.compareTo(LONGEST_RETRY_AFTER) > 0 ? null : asked;
        } catch (NumberFormatException e) {
            return null; // an HTTP date: not what the bus sends
        }
    }

    private URI uri(String path) {
        return URI.create(bus + path);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T readable(java.util.function.Supplier<T> read, String what) {
        try {
            return read.get();
        } catch (ClientFailure e) {
            throw e;
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("No unencrypted private key in ")) {
                String file = message.substring("No unencrypted private key in ".length());
                noKeyIn(file);
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "Your private key " + file + " is protected by a password,"
                        + " which the command line does not ask for: write it out once with openssl pkey -in " + file
                        + " -out my.key (it asks for the password; keep my.key readable by you only) and give --key my.key.");
            }
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "Your " + what + " cannot be read (" + message
                    + "): give the PEM file your bus operator's CA issued (the certificate) or that you made (the key).");
        }
    }

    /**
     * A file that holds no key at all (the certificate given twice, an empty or another file) is said as such; only a
     * key under a password is sent to openssl, which a clerk did in vain with a certificate.
     */
    private static void noKeyIn(String file) {
        String text;
        try {
            text = java.nio.file.Files.readString(Path.of(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException unreadable) {
            return;
        }
        if (text.contains("ENCRYPTED")) {
            return; // PKCS#8 "BEGIN ENCRYPTED PRIVATE KEY", or OpenSSL's traditional "Proc-Type: 4,ENCRYPTED"
        }
        throw new ClientFailure(ClientCommands.CANNOT_RUN, "The file " + file + " given as your private key holds "
                + (text.contains("-----BEGIN CERTIFICATE-----") ? "a certificate, not a private key" : "no private key")
                + ": give --key (or key= in the profile) the PEM file (-----BEGIN … PRIVATE KEY-----) you made with your"
                + " certificate request.");
    }

    private static SSLContext tls(X509Certificate certificate, PrivateKey key, List<X509Certificate> anchors) {
        try {
            if (!KeyPairs.belongTogether(certificate, key)) {
                throw new IllegalArgumentException("another key");
            }
            return ClientTls.of(certificate, key, anchors);
        } catch (Exception e) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "Your certificate and key do not go together: check --cert and --key.");
        }
    }

    /** The bus speaks HTTPS only: anything else would fail later as a network error, or send the certificate in vain. */
    static URI address(String address) {
        String trimmed = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        try {
            URI uri = new URI(trimmed);
            if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
                if (uri.getPath() != null && uri.getPath().contains("/api/")) {
                    // An endpoint pasted as the address: every call then went to …/api/v1/…/api/v1/… and came back 403.
                    throw new ClientFailure(ClientCommands.CANNOT_RUN, "The bus address '" + address + "' (--bus, or bus= in"
                            + " the profile) names an endpoint: give the bus's address alone, as https://" + uri.getRawAuthority()
                            + (uri.getPath().indexOf("/api/") > 0 ? uri.getPath().substring(0, uri.getPath().indexOf("/api/")) : "") + ".");
                }
                return uri;
            }
        } catch (URISyntaxException malformed) {
            // said below
        }
        throw new ClientFailure(ClientCommands.CANNOT_RUN, "The bus address '" + address + "' (--bus, or bus= in the profile) is"
                + " not an https:// address: write it as https://host:8443.");
    }

}

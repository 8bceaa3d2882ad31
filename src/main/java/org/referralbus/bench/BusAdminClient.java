package org.referralbus.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The bench's readings of the bus's actuator ({@link HeapSampler}, {@link StepBreakdown}) as the bus admin: one client
 * over mutual TLS, its connections kept between readings.
 */
final class BusAdminClient {

    private final HttpClient http;
    private final String baseUrl;

    BusAdminClient(String baseUrl, SSLContext admin) {
        this.http = HttpClient.newBuilder().sslContext(admin).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.baseUrl = baseUrl;
    }

    /** The answer's body if it is 200; empty if the bus answers otherwise or not in time, and that reading is skipped. */
    Optional<String> get(String path, Duration timeout) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}

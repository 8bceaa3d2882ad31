package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.TestPki;

/**
 * Every endpoint × every kind of caller, over real mutual TLS. A row lists who may call an endpoint; every other
 * caller must be refused (401 without a trusted certificate, 403 with the wrong role). Rows for endpoints that
 * other issues are building are here already: their refusals are asserted now, their allowed cells are skipped
 * while {@code pendingIn} names the issue, and turn on when that issue deletes the marker.
 */
class AccessMatrixEndToEndTest extends RunningBus {

    enum Caller { NO_CERTIFICATE, AGENCY, PROVIDER, AUDITOR, ADMIN, OTHER_CA }

    /**
     * @param allowed   callers that get past access control
     * @param pendingIn the issue that adds the endpoint; null when it exists
     * @param console   a human console with its own login: refusals may be redirects, so only "not 2xx" is asserted
     */
    record Endpoint(String method, String path, Set<Caller> allowed, String pendingIn, boolean console) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final Set<Caller> PARTICIPANTS = Set.of(Caller.AGENCY, Caller.PROVIDER, Caller.AUDITOR, Caller.ADMIN);

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/actuator/health", Set.of(Caller.values()), null, false),
            new Endpoint("POST", "/api/v1/referrals", Set.of(Caller.AGENCY), null, false),
            new Endpoint("GET", "/api/v1/bus/certificate", PARTICIPANTS, null, false),
            new Endpoint("GET", "/actuator/metrics", Set.of(Caller.ADMIN), null, false),
            new Endpoint("GET", "/actuator/info", Set.of(Caller.ADMIN), null, false),
            new Endpoint("GET", "/actuator/prometheus", Set.of(Caller.ADMIN), null, false),
            new Endpoint("GET", "/actuator/health/readiness", Set.of(Caller.values()), null, false),
            new Endpoint("GET", "/api/v1/admin/dead-letters", Set.of(Caller.ADMIN), null, false),
            new Endpoint("GET", "/api/v1/admin/dead-letters/0000-no-such-letter", Set.of(Caller.ADMIN), null, false),
            new Endpoint("POST", "/api/v1/admin/dead-letters/0000-no-such-letter/redeliver", Set.of(Caller.ADMIN), null, false),
            new Endpoint("POST", "/actuator/shutdown", Set.of(), null, false),
            new Endpoint("GET", "/api/v1/no-such-endpoint", Set.of(), null, false),
            new Endpoint("GET", "/api/v1/inbox", Set.of(Caller.PROVIDER), null, false),
            new Endpoint("GET", "/api/v1/inbox/d-0001", Set.of(Caller.PROVIDER), null, false),
            new Endpoint("POST", "/api/v1/inbox/d-0001/ack", Set.of(Caller.PROVIDER), null, false),
            new Endpoint("GET", "/api/v1/referrals/r-0001/status", Set.of(Caller.AGENCY), null, false),
            new Endpoint("GET", "/api/v1/audit/events", Set.of(Caller.AUDITOR), null, false),
            new Endpoint("GET", "/api/v1/audit/tree-head", Set.of(Caller.AUDITOR), null, false),
            new Endpoint("GET", "/api/v1/audit/proofs/inclusion?seq=1", Set.of(Caller.AUDITOR), null, false),
            new Endpoint("GET", "/api/v1/audit/proofs/consistency?from=1&to=1", Set.of(Caller.AUDITOR), null, false),
            // Providers pass access control; the controller then admits the coordinator only (RetentionAndErasureEndToEndTest).
            new Endpoint("POST", "/api/v1/erasures", Set.of(Caller.PROVIDER), null, false),
            // The coordinator's case desk: providers pass access control, the controller admits the coordinator only
            // (CaseLinkingEndToEndTest); a GET by another provider is thus 403 like every other caller's.
            new Endpoint("POST", "/api/v1/cases/c-0001/merge", Set.of(Caller.PROVIDER), null, false),
            new Endpoint("POST", "/api/v1/cases/c-0001/split", Set.of(Caller.PROVIDER), null, false),
            new Endpoint("GET", "/api/v1/cases/c-0001", Set.of(), null, false),
            new Endpoint("GET", "/api/v1/cases?sender=border-service&referralId=r-0001", Set.of(), null, false),
            new Endpoint("GET", "/api/v1/statistics", Set.of(Caller.AUDITOR), null, false),
            new Endpoint("GET", "/audit", Set.of(Caller.AUDITOR), null, true),
            new Endpoint("GET", "/audit/statistics", Set.of(Caller.AUDITOR), null, true));

    private static final Map<Caller, MutualTlsClient> CLIENTS = new ConcurrentHashMap<>();

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (Caller caller : Caller.values()) {
                cells.add(Arguments.of(endpoint, caller));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cells")
    void onlyTheRowsCallersGetIn(Endpoint endpoint, Caller caller) throws Exception {
        boolean allowed = endpoint.allowed().contains(caller);
        if (allowed) {
            assumeThat(endpoint.pendingIn()).as("endpoint comes with " + endpoint.pendingIn()).isNull();
        }
        HttpResponse<byte[]> response;
        try {
            response = client(caller).send(HttpRequest.newBuilder(client(caller).uri(endpoint.path()))
                    .method(endpoint.method(), endpoint.method().equals("POST")
                            ? HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x30, 0x00})
                            : HttpRequest.BodyPublishers.noBody())
                    .header("Content-Type", "application/pkcs7-mime"));
        } catch (IOException handshakeRefused) {
            assertThat(caller).as("only a certificate from another CA may be refused in the TLS handshake")
                    .isEqualTo(Caller.OTHER_CA);
            return;
        }
        int status = response.statusCode();
        if (allowed) {
            assertThat(status).as("allowed caller").isNotIn(401, 403).isLessThan(500);
        } else if (endpoint.console()) {
            assertThat(status / 100).as("console refuses").isNotEqualTo(2);
        } else if (caller == Caller.NO_CERTIFICATE || caller == Caller.OTHER_CA) {
            assertThat(status).as("no trusted certificate").isEqualTo(401);
        } else {
            assertThat(status).as("wrong role").isEqualTo(403);
        }
    }

    /**
     * An endpoint called with a method it does not take is 405 with {@code Allow} for every participant (the access
     * rules deny it, but "forbidden" would send the caller looking at its certificate), still 401 without one.
     */
    @ParameterizedTest(name = "DELETE /api/v1/inbox/d-0001 as {0}")
    @org.junit.jupiter.params.provider.EnumSource(value = Caller.class, names = "OTHER_CA", mode = org.junit.jupiter.params.provider.EnumSource.Mode.EXCLUDE)
    void aMethodTheEndpointDoesNotTakeIs405ForAParticipantAnd401ForNobody(Caller caller) throws Exception {
        HttpResponse<byte[]> response = client(caller).send(HttpRequest.newBuilder(client(caller).uri("/api/v1/inbox/d-0001"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()));

        if (caller == Caller.NO_CERTIFICATE) {
            assertThat(response.statusCode()).isEqualTo(401);
        } else {
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("GET");
            assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"code\":\"method_not_allowed\"");
        }
    }

    private MutualTlsClient client(Caller caller) {
        return CLIENTS.computeIfAbsent(caller, c -> switch (c) {
            case NO_CERTIFICATE -> MutualTlsClient.anonymous(baseUrl());
            case AGENCY -> agency("iom-mission");
            case PROVIDER -> provider("medical-dushanbe");
            case AUDITOR -> sample("auditors", "oversight-board");
            case ADMIN -> sample("admins", "bus-admin");
            case OTHER_CA -> {
                TestPki.Identity stranger = TestPki.unrelated().identity("iom-mission", ParticipantRole.AGENCY,
                        TestPki.KeyType.EC_P256);
                yield MutualTlsClient.as(baseUrl(), stranger.certificate(), stranger.key());
            }
        });
    }

    private MutualTlsClient sample(String folder, String id) {
        return MutualTlsClient.as(baseUrl(), SampleKeys.certificate(folder, id), SampleKeys.key(folder, id));
    }
}

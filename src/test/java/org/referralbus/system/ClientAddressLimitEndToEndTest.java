package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.referralbus.audit.RefusalTally;
import org.referralbus.envelope.PemFiles;
import org.referralbus.intake.IntakeProperties;
import org.referralbus.support.BusProbe;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The connection-level limit: one client address holds as many requests in progress as the cap allows (slow uploads
 * that never finish), and the next request from that address, whoever sends it and with whatever certificate, is
 * refused at once with 429 and a closed connection, before any TLS identity or registry work.
 */
class ClientAddressLimitEndToEndTest extends RunningBus {

    private static final String ADDRESS = "127.0.0.1";

    @Autowired
    ClientAddressLimit addressLimit;
    @Autowired
    IntakeProperties intake;
    @Autowired
    RefusalTally refusals;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;

    @Test
    void oneAddressCannotHoldMoreRequestsInProgressThanTheCap() throws Exception {
        int cap = intake.addressLimit().maxConcurrent();
        MutualTlsClient anonymous = MutualTlsClient.anonymous("https://" + ADDRESS + ":" + port);
        refusals.flush();
        long auditMark = jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);
        List<SSLSocket> slowUploads = new ArrayList<>();
        try {
            for (int i = 0; i < cap; i++) {
                slowUploads.add(startSlowUpload());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> addressLimit.inProgress(ADDRESS) == cap);

            HttpResponse<byte[]> refused = anonymous.get("/actuator/health");

            new BusProbe(jdbc, json).assertProblem(refused, 429, "concurrency_limited");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(refused.headers().firstValue("Strict-Transport-Security")).isPresent();
            assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(429);
        } finally {
            for (SSLSocket socket : slowUploads) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> addressLimit.inProgress(ADDRESS) == 0);
        assertThat(anonymous.get("/actuator/health").statusCode()).as("served again once the uploads end").isEqualTo(200);
        refusals.flush();
        assertThat(jdbc.queryForList("SELECT actor || ' ' || detail FROM audit_event WHERE seq > ? AND event_type = 'REJECTED' "
                + "AND detail LIKE 'concurrency_limited;%'", String.class, auditMark))
                .containsExactly("address:" + ADDRESS + " concurrency_limited;count=2");
    }

    /** An agency's upload that declares 1000 bytes and sends 10: its request stays in progress until the socket closes. */
    private SSLSocket startSlowUpload() throws Exception {
        SSLSocket socket = (SSLSocket) MutualTlsClient.sslContext(
                PemFiles.readCertificate(SampleKeys.certificate("agencies", "ngo-hotline")),
                SampleKeys.privateKey("agencies", "ngo-hotline")).getSocketFactory().createSocket(ADDRESS, port);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/referrals HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/pkcs7-mime\r\n"
                + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {0x30, (byte) 0x82, 0x03, (byte) 0xe4, 0, 0, 0, 0, 0, 0});
        out.flush();
        return socket;
    }
}

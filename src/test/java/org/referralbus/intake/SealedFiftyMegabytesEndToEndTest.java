package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.HostileReferrals;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * 50 MB of text inside a correctly signed and sealed envelope, on a bus whose envelope limit was raised to let it
 * in: it is opened, refused by the schema (notes hold at most 10 000 characters) with a short answer, audited, and
 * nothing is delivered.
 */
class SealedFiftyMegabytesEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void fiftyMegabytesOfNotesInsideAValidEnvelopeAreASchemaViolationWithAShortAnswer() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(HostileReferrals.hugeNotes(xml, 50),
                SampleKeys.busCertificate());

        try (StandaloneBus bus = StandaloneBus.start(dataDir, "--referral-bus.intake.max-envelope-bytes=" + 64 * 1024 * 1024)) {
            long started = System.nanoTime();
            HttpResponse<byte[]> response = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "border-service"),
                    SampleKeys.key("agencies", "border-service")).post("/api/v1/referrals", envelope, "application/pkcs7-mime");
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("50 MB sealed referral: " + envelope.length + " bytes, answered " + response.statusCode()
                    + " in " + millis + " ms with " + response.body().length + " bytes");

            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode problem = bus.bean(JsonMapper.class).readTree(response.body());
            assertThat(problem.get("code").asString()).isEqualTo("schema_violation");
            assertThat(response.body().length).as("the text is not echoed back").isLessThan(4_096);
            JdbcTemplate jdbc = bus.bean(JdbcTemplate.class);
            assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'REJECTED'", String.class))
                    .containsExactly("schema_violation");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery", Integer.class)).isZero();
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("lorem ipsum dolor sit amet, consectetur adipiscing elit; lorem");
        }
    }
}

package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.referralbus.support.RunningBus;

/**
 * docs/openapi.yaml is what the bus serves. To update the committed file after an API change, run this test with
 * {@code -Dopenapi.write=true} (or, as before, {@code -Dreferral-bus.openapi.write=true}) and review the diff.
 */
class ApiDescriptionEndToEndTest extends RunningBus {

    static final Path COMMITTED = Path.of("docs/openapi.yaml");

    @Test
    void committedDescriptionIsWhatTheBusServes() throws Exception {
        HttpResponse<byte[]> served = agency("border-service").get("/v3/api-docs.yaml");
        assertThat(served.statusCode()).isEqualTo(200);
        String yaml = new String(served.body(), StandardCharsets.UTF_8);
        if (Boolean.getBoolean("openapi.write") || Boolean.getBoolean("referral-bus.openapi.write")) { // the older spelling still works
            Files.writeString(COMMITTED, yaml);
        }
        assertThat(yaml).startsWith("openapi: 3.1");
        assertThat(Files.readString(COMMITTED))
                .as("docs/openapi.yaml differs from what the bus serves: run this test with -Dopenapi.write=true and commit the diff")
                .isEqualTo(yaml);
    }

    @Test
    void eachOperationListsItsProblemCodes() throws Exception {
        String yaml = new String(provider("shelter-dushanbe").get("/v3/api-docs.yaml").body(), StandardCharsets.UTF_8);
        assertThat(yaml).contains("/api/v1/referrals:", "/api/v1/inbox/{deliveryId}/ack:", "/api/v1/referrals/{referralId}/status:",
                "x-problem-codes", "schema_violation", "duplicate_conflict", "acknowledgement_conflict", "participant_key_mismatch");
    }

    @Test
    void onlyParticipantsReadTheDescription() throws Exception {
        assertThat(org.referralbus.support.MutualTlsClient.anonymous(baseUrl()).get("/v3/api-docs").statusCode()).isEqualTo(401);
    }
}

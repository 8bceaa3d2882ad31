package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.OpenSsl;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The auditor API over real mutual TLS: auditors only, every query audited, export signed over its exact bytes. */
class AuditorApiEndToEndTest extends RunningBus {

    @Autowired
    JsonMapper json;
    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path work;

    @Test
    void auditorSeesTheWholeStoryOfOneReferralAndTheQueryIsAudited() throws Exception {
        String referralId = submitted();

        HttpResponse<byte[]> response = auditor().get("/api/v1/audit/referrals/" + referralId);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode story = json.readTree(response.body());
        assertThat(story.get("referralId").asString()).isEqualTo(referralId);
        List<String> types = new ArrayList<>();
        story.get("events").forEach(e -> types.add(e.get("type").asString()));
        assertThat(types).startsWith("RECEIVED", "OPENED", "VALIDATED").contains("ROUTED", "DELIVERED");
        JsonNode delivered = story.get("events").get(types.indexOf("DELIVERED"));
        assertThat(delivered.get("counterpart").asString()).isNotBlank();
        assertThat(delivered.get("envelopeSha256").asString()).hasSize(64);
        assertThat(delivered.get("hash").asString()).hasSize(64);
        assertThat(delivered.get("prevHash").asString()).hasSize(64);
        assertThat(delivered.has("seq") && delivered.has("at") && delivered.has("actor")).isTrue();
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'AUDITOR_QUERIED' "
                + "AND actor = 'oversight-board' AND referral_id = ?", String.class, referralId)).containsExactly("referral");
    }

    @Test
    void eventsAreFilteredAndPaged() throws Exception {
        String referralId = submitted();

        JsonNode page = json.readTree(auditor().get("/api/v1/audit/events?referralId=" + referralId
                + "&type=ROUTED&page=0&size=1").body());

        assertThat(page.get("totalEvents").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(page.get("events")).hasSize(1);
        assertThat(page.get("events").get(0).get("type").asString()).isEqualTo("ROUTED");
        assertThat(page.get("size").asInt()).isEqualTo(1);
        JsonNode byProvider = json.readTree(auditor().get("/api/v1/audit/events?participant=shelter-dushanbe&type=DELIVERED"
                + "&from=2020-01-01T00:00:00Z&size=500").body());
        assertThat(byProvider.get("events")).allSatisfy(e -> assertThat(e.get("counterpart").asString()).isEqualTo("shelter-dushanbe"));
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'AUDITOR_QUERIED' AND referral_id = ?",
                String.class, referralId)).containsExactly("events:referralId=" + referralId + ";type=ROUTED;page=0;size=1");
        assertThat(auditor().get("/api/v1/audit/events?size=100000").statusCode()).isEqualTo(400);
    }

    @Test
    void theWholeTrailIsReadOnFromEachPagesLastSeqWithNoRowMissedOrRepeated() throws Exception {
        String referralId = submitted();

        List<Long> seqs = new ArrayList<>();
        JsonNode page = json.readTree(auditor().get("/api/v1/audit/events?size=50").body());
        page.get("events").forEach(e -> seqs.add(e.get("seq").asLong()));
        while (!page.get("nextAfter").isNull()) {
            page = json.readTree(auditor().get("/api/v1/audit/events?size=50&after=" + page.get("nextAfter").asLong()).body());
            assertThat(page.get("totalEvents").isNull()).isTrue();
            page.get("events").forEach(e -> seqs.add(e.get("seq").asLong()));
        }

        assertThat(seqs).isNotEmpty().isEqualTo(jdbc.queryForList("SELECT seq FROM audit_event WHERE seq <= ? ORDER BY seq",
                Long.class, seqs.get(seqs.size() - 1)));
        JsonNode routed = json.readTree(auditor().get("/api/v1/audit/events?referralId=" + referralId + "&type=ROUTED&after="
                + seqs.get(0) + "&size=500").body());
        assertThat(routed.get("events")).isNotEmpty().allSatisfy(e -> assertThat(e.get("type").asString()).isEqualTo("ROUTED"));
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'AUDITOR_QUERIED' AND referral_id = ?",
                String.class, referralId)).containsExactly("events:referralId=" + referralId + ";type=ROUTED;after=" + seqs.get(0)
                + ";size=500");
        HttpResponse<byte[]> both = auditor().get("/api/v1/audit/events?page=1&after=" + seqs.get(0));
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(json.readTree(both.body()).get("code").asString()).isEqualTo("invalid_request");
    }

    @Test
    void aNameTypedIntoAFilterReachesTheTrailOnlyAsItsLength() throws Exception {
        submitted();
        long before = jdbc.queryForObject("SELECT MAX(seq) FROM audit_event", Long.class);

        for (String query : List.of("participant=Saidova", "participant=%D0%9D%D0%B8%D0%B3%D0%B8%D0%BD%D0%B0%20%D0%A1",
                "referralId=Rahimova", "participant=shelter-dushanbe")) {
            assertThat(auditor().get("/api/v1/audit/events?" + query).statusCode()).as(query).isEqualTo(200);
        }
        HttpResponse<byte[]> notAType = auditor().get("/api/v1/audit/events?type=1998-04-12");
        assertThat(notAType.statusCode()).as("a type the trail does not have is refused, not answered with nothing").isEqualTo(400);
        assertThat(new String(notAType.body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("1998");

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT referral_id, detail FROM audit_event WHERE seq > ? "
                + "AND event_type = 'AUDITOR_QUERIED' ORDER BY seq", before);
        assertThat(rows).extracting(row -> row.get("DETAIL")).containsExactly(
                "events:participant=<7 characters>;page=0;size=50", "events:participant=<8 characters>;page=0;size=50",
                "events:referralId=<8 characters>;page=0;size=50", "events:participant=shelter-dushanbe;page=0;size=50");
        assertThat(rows).allSatisfy(row -> assertThat(row.get("REFERRAL_ID")).isNull());
    }

    @Test
    void anExportNamesTheRangeItHoldsAndABackwardsRangeIsRefused() throws Exception {
        submitted();

        HttpResponse<byte[]> beyond = auditor().get("/api/v1/audit/export?fromSeq=1&toSeq=99999999");

        assertThat(beyond.statusCode()).isEqualTo(200);
        String range = beyond.headers().firstValue("Referral-Bus-Export-Range").orElseThrow();
        long lines = new String(beyond.body(), java.nio.charset.StandardCharsets.UTF_8).lines().count();
        assertThat(range).as("the head, not what was asked").isEqualTo("1-" + lines);
        assertThat(auditor().get("/api/v1/audit/export?fromSeq=1&toSeq=" + lines).body()).as("the same range, the same bytes")
                .isEqualTo(beyond.body());
        assertThat(auditor().get("/api/v1/audit/export?fromSeq=50&toSeq=10").statusCode()).isEqualTo(400);
        HttpResponse<byte[]> pastTheEnd = auditor().get("/api/v1/audit/export?fromSeq=99999998&toSeq=99999999");
        assertThat(pastTheEnd.statusCode()).as("not an empty export that verifies as intact").isEqualTo(400);
        assertThat(new String(pastTheEnd.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("past the end of the trail");
        assertThat(auditor().get("/api/v1/audit/export.sig?fromSeq=0&toSeq=10").statusCode()).isEqualTo(400);
    }

    @Test
    void agenciesAndProvidersAreForbidden() throws Exception {
        for (String path : List.of("/api/v1/audit/events", "/api/v1/audit/verify", "/api/v1/audit/export")) {
            assertThat(agency("border-service").get(path).statusCode()).isEqualTo(403);
            assertThat(provider("shelter-dushanbe").get(path).statusCode()).isEqualTo(403);
            assertThat(MutualTlsClient.anonymous(baseUrl()).get(path).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void chainOfTheRunningBusVerifies() throws Exception {
        submitted();

        JsonNode result = json.readTree(auditor().get("/api/v1/audit/verify").body());

        assertThat(result.get("intact").asBoolean()).isTrue();
        assertThat(result.get("eventsChecked").asLong()).isPositive();
        assertThat(result.get("firstBrokenSeq").isNull()).isTrue();
        assertThat(result.has("reason")).isTrue();
    }

    @Test
    void exportSignatureVerifiesWithOpenSslOverTheExactBytes() throws Exception {
        Assumptions.assumeTrue(OpenSsl.available(), "openssl not installed");
        submitted();

        HttpResponse<byte[]> export = auditor().get("/api/v1/audit/export");
        String range = export.headers().firstValue("Referral-Bus-Export-Range").orElseThrow();
        HttpResponse<byte[]> signature = auditor().get("/api/v1/audit/export.sig?fromSeq=1&toSeq=" + range.split("-")[1]);

        assertThat(export.statusCode()).isEqualTo(200);
        String[] lines = new String(export.body(), StandardCharsets.UTF_8).split("\n");
        assertThat(lines.length).isEqualTo(Integer.parseInt(range.split("-")[1]));
        assertThat(json.readTree(lines[0]).get("seq").asLong()).isEqualTo(1);
        Files.write(work.resolve("audit.jsonl"), export.body());
        Files.write(work.resolve("header.p7s"), Base64.getDecoder().decode(
                export.headers().firstValue("Referral-Bus-Export-Signature").orElseThrow()));
        Files.write(work.resolve("audit.jsonl.p7s"), signature.body());
        for (String sig : List.of("header.p7s", "audit.jsonl.p7s")) {
            assertThat(verify(sig, "audit.jsonl").exitCode()).isZero();
        }
        Files.write(work.resolve("tampered.jsonl"), new String(export.body(), StandardCharsets.UTF_8)
                .replaceFirst("\"seq\":1,", "\"seq\":7,").getBytes(StandardCharsets.UTF_8));
        assertThat(verify("audit.jsonl.p7s", "tampered.jsonl").exitCode()).isNotZero();
    }

    private OpenSsl.Result verify(String signature, String content) {
        return new OpenSsl(work).run("cms", "-verify", "-binary", "-inform", "DER", "-in", signature, "-content", content,
                "-CAfile", SampleKeys.ROOT.resolve("ca.crt").toAbsolutePath().toString(), "-purpose", "any", "-out", "/dev/null");
    }

    private MutualTlsClient auditor() {
        return MutualTlsClient.as(baseUrl(), SampleKeys.certificate("auditors", "oversight-board"),
                SampleKeys.key("auditors", "oversight-board"));
    }

    private String submitted() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8),
                SampleKeys.busCertificate());
        assertThat(agency("border-service").post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode())
                .isEqualTo(202);
        return ReferralExamples.referralId(xml);
    }
}

package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.Test;
import org.referralbus.dedupe.Receipt;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ProviderInbox.OpenedDelivery;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One referral travels end to end over real mutual TLS, the embedded broker and the embedded database. */
class ReferralSubmissionEndToEndTest extends RunningBus {

    private static final String CMS = "application/pkcs7-mime";

    @Autowired
    JmsTemplate jms;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;

    @Test
    void referralIsRoutedAndEachProviderCanOpenOnlyItsOwnView() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        String referralId = ReferralExamples.referralId(xml);

        HttpResponse<byte[]> response = submit("border-service", xml);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode receipt = json.readTree(response.body());
        assertThat(receipt.get("referralId").asString()).isEqualTo(referralId);
        assertThat(receipt.get("sender").asString()).isEqualTo("border-service");
        assertThat(receipt.get("status").asString()).isEqualTo("ROUTED");
        assertThat(receipt.get("envelopeSha256").asString()).hasSize(64);
        assertThat(receipt.has("receivedAt")).isTrue();
        assertReceiptSignedByBus(response);
        // the status names the very instant the signed receipt does (it had microseconds the receipt had not)
        JsonNode status = json.readTree(agency("border-service").get("/api/v1/referrals/" + referralId + "/status").body());
        assertThat(java.time.OffsetDateTime.parse(status.get("receivedAt").asString()).toInstant())
                .isEqualTo(java.time.OffsetDateTime.parse(receipt.get("receivedAt").asString()).toInstant());

        ProviderInbox inbox = new ProviderInbox(jms);
        List<OpenedDelivery> shelter = inbox.take("shelter-dushanbe", referralId, 10_000);
        assertThat(shelter).hasSize(1);
        assertThat(shelter.get(0).envelope().signerIdentity().id()).isEqualTo("referral-bus");
        assertThat(shelter.get(0).xml())
                .contains("urn:referral-bus:delivery:1", referralId, "SHELTER</", "givenName>")
                .doesNotContain("exploitation>", "notes>", "service=\"MEDICAL\"");
        assertThat(inbox.take("medical-dushanbe", referralId, 10_000)).singleElement()
                .satisfies(d -> assertThat(d.xml()).contains("MEDICAL</").doesNotContain("exploitation>"));
        // No psychosocial provider serves DUSHANBE and none is national: the coordinator gets it, with the reason.
        assertThat(inbox.take("coordinator", referralId, 10_000)).singleElement()
                .satisfies(d -> assertThat(d.xml()).contains("NO_PROVIDER:PSYCHOSOCIAL", "notes>"));
    }

    @Test
    void sameEnvelopeTwiceGetsTheSameReceiptAndOneDelivery() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        MutualTlsClient client = agency("border-service");

        HttpResponse<byte[]> first = client.post("/api/v1/referrals", envelope, CMS);
        HttpResponse<byte[]> second = client.post("/api/v1/referrals", envelope, CMS);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Referral-Bus-Duplicate")).hasValue("true");
        assertThat(new ProviderInbox(jms).take("shelter-dushanbe", referralId, 10_000)).hasSize(1);
    }

    @Test
    void sameReferralResealedIsRecognisedAsTheSameReferral() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-return-reintegration-gbao"));
        String referralId = ReferralExamples.referralId(xml);

        HttpResponse<byte[]> first = submit("iom-mission", xml);
        HttpResponse<byte[]> again = submit("iom-mission", xml);

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(new ProviderInbox(jms).take("reintegration-national", referralId, 10_000)).hasSize(1);
    }

    @Test
    void sameReferralIdWithOtherContentIsAConflictThatSaysTheReferralArrivedAndNeverAsksForANewId() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("ngo-hotline-at-risk-online-recruitment"));
        String referralId = ReferralExamples.referralId(xml);
        assertThat(submit("ngo-hotline", xml).statusCode()).isEqualTo(202);

        HttpResponse<byte[]> conflict = submit("ngo-hotline", xml.replace("ROUTINE", "URGENT").replace("<urgency>IMMEDIATE", "<urgency>URGENT"));

        assertThat(conflict.statusCode()).isEqualTo(409);
        String detail = assertProblem(conflict, "duplicate_conflict").path("detail").asString();
        assertThat(detail).as("first: it arrived; a clerk told to give it a new id made a second referral of the same person")
                .startsWith("A referral with referralId " + referralId + " from your agency arrived earlier")
                .contains("nothing more is needed", "status " + referralId, "header/supersedes",
                        "Only a different person gets a new referralId")
                .doesNotContain("URGENT", "ROUTINE", "IMMEDIATE", "Give this referral a new referralId");
        assertThat(auditTypes(ReferralExamples.referralId(xml))).contains("REJECTED");
    }

    @Test
    void aConflictWithAnUnfinishedReferralAsksForTheFirstFileNotForNothing() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("ngo-hotline-at-risk-online-recruitment"));
        String referralId = ReferralExamples.referralId(xml);
        assertThat(submit("ngo-hotline", xml).statusCode()).isEqualTo(202);
        // As a crash before the receipt leaves it: stored, no receipt given.
        jdbc.update("UPDATE referral SET state = 'RECEIVED', receipt_json = NULL, receipt_signature = NULL "
                + "WHERE sender = 'ngo-hotline' AND referral_id = ?", referralId);

        HttpResponse<byte[]> conflict = submit("ngo-hotline", xml.replace("ROUTINE", "URGENT").replace("<urgency>IMMEDIATE", "<urgency>URGENT"));

        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(assertProblem(conflict, "duplicate_conflict").path("detail").asString())
                .as("'nothing more is needed' would leave the first one undelivered: only its own envelope finishes it")
                .startsWith("A referral with referralId " + referralId + " from your agency arrived earlier but is not finished")
                .contains("Send again the very file you sent first", "ask the bus's operator")
                .doesNotContain("nothing more is needed", "URGENT", "ROUTINE", "IMMEDIATE");
    }

    @Test
    void envelopeSignedByAnotherAgencyIsRefused() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());

        HttpResponse<byte[]> response = agency("ngo-hotline").post("/api/v1/referrals", envelope, CMS);

        assertThat(response.statusCode()).isEqualTo(403);
        assertProblem(response, "signer_mismatch");
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .as("who reported the person is sealed in the envelope: not told to another agency")
                .doesNotContain("border-service").contains("another participant");
        assertThat(new ProviderInbox(jms).take("shelter-dushanbe", ReferralExamples.referralId(xml), 500)).isEmpty();
    }

    @Test
    void declaredSenderMustBeTheSigner() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        byte[] envelope = SampleKeys.agencySealer("ngo-hotline").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());

        HttpResponse<byte[]> response = agency("ngo-hotline").post("/api/v1/referrals", envelope, CMS);

        assertThat(response.statusCode()).isEqualTo(403);
        assertProblem(response, "signer_mismatch");
    }

    @Test
    void invalidReferralGetsProblemDetailsWithEveryViolationAndIsAudited() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.fixture("invalid/two-errors.xml"));

        HttpResponse<byte[]> response = submit(senderOf(xml), xml);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = assertProblem(response, "schema_violation");
        assertThat(problem.get("violations").size()).isGreaterThanOrEqualTo(2);
        assertThat(problem.get("violations").get(0).get("line").asInt()).isPositive();
        assertThat(problem.get("violations").get(0).get("column").asInt()).isPositive();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'REJECTED' AND detail = 'schema_violation'",
                Integer.class)).isPositive();
    }

    @Test
    void aBirthDateAfterTheReferralWasWrittenIsRefusedNotTakenForAMinor() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))
                .replace("<birthDate>1998-04-12</birthDate>", "<birthDate>2099-04-12</birthDate>");
        String referralId = ReferralExamples.referralId(xml);
        String rejections = "SELECT COUNT(*) FROM audit_event WHERE event_type = 'REJECTED' AND detail = 'schema_violation'";
        int before = jdbc.queryForObject(rejections, Integer.class);

        HttpResponse<byte[]> response = submit("border-service", xml);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = assertProblem(response, "schema_violation");
        assertThat(problem.get("violations").get(0).get("message").asString()).contains("birthDate is after header/createdAt");
        assertThat(jdbc.queryForObject(rejections, Integer.class)).isEqualTo(before + 1);
        assertThat(auditTypes(referralId)).doesNotContain("ROUTED");
        assertThat(new ProviderInbox(jms).take("child-protection-national", referralId, 500)).isEmpty();
    }

    @Test
    void referralWithoutConsentGoesToTheCoordinatorOnly() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("ngo-hotline-no-consent"));
        String referralId = ReferralExamples.referralId(xml);

        assertThat(submit("ngo-hotline", xml).statusCode()).isEqualTo(202);

        ProviderInbox inbox = new ProviderInbox(jms);
        assertThat(inbox.take("coordinator", referralId, 10_000)).singleElement()
                .satisfies(d -> assertThat(d.xml()).contains("NO_CONSENT"));
        assertThat(inbox.take("shelter-dushanbe", referralId, 300)).isEmpty();
        assertThat(inbox.take("medical-dushanbe", referralId, 300)).isEmpty();
        assertThat(jdbc.queryForList("SELECT DISTINCT provider_id FROM delivery WHERE referral_id = ?", String.class, referralId))
                .containsExactly("coordinator");
    }

    @Test
    void healthAnswersWithoutCertificateButIntakeDoesNot() throws Exception {
        MutualTlsClient anonymous = MutualTlsClient.anonymous(baseUrl());

        assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> refused = anonymous.post("/api/v1/referrals", new byte[] {0x30}, CMS);
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    @Test
    void providerCannotSubmitReferrals() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());

        HttpResponse<byte[]> response = provider("shelter-dushanbe").post("/api/v1/referrals", envelope, CMS);

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void auditTrailFollowsTheReferralWithoutPersonalData() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("interior-ministry-labour-legal-sughd"));
        String referralId = ReferralExamples.referralId(xml);
        String familyName = xml.substring(xml.indexOf("<familyName>") + 12, xml.indexOf("</familyName>"));

        assertThat(submit("interior-ministry", xml).statusCode()).isEqualTo(202);

        assertThat(auditTypes(referralId)).contains("VALIDATED", "ROUTED", "DELIVERED");
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM audit_event");
        assertThat(rows.toString()).doesNotContain(familyName);
        assertThat(jdbc.queryForList("SELECT * FROM referral").toString()).doesNotContain(familyName);
    }

    private HttpResponse<byte[]> submit(String agencyId, String xml) throws Exception {
        byte[] envelope = SampleKeys.agencySealer(agencyId).seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        return agency(agencyId).post("/api/v1/referrals", envelope, CMS);
    }

    private List<String> auditTypes(String referralId) {
        return jdbc.queryForList("SELECT event_type FROM audit_event WHERE referral_id = ? ORDER BY seq", String.class, referralId);
    }

    private JsonNode assertProblem(HttpResponse<byte[]> response, String code) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
        return problem;
    }

    private static String senderOf(String xml) {
        int start = xml.indexOf("agencyId=\"") + 10;
        return xml.substring(start, xml.indexOf('"', start));
    }

    private static void assertReceiptSignedByBus(HttpResponse<byte[]> response) throws Exception {
        byte[] signature = Base64.getDecoder().decode(response.headers().firstValue("Referral-Bus-Receipt-Signature").orElseThrow());
        CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(response.body()), signature);
        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(SampleKeys.busCertificate()))).isTrue();
    }
}

package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralbus.dedupe.PersonReferrals.Person;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A referral id is a UUID, and UUIDs are case-insensitive (RFC 9562): an agency's other component, or its database
 * after a round trip (SQL Server's uniqueidentifier), sends the same referral with the id in upper case. The bus must
 * see the same referral: a duplicate answered with the stored receipt, no second copy for any provider; an update
 * naming the earlier id in another case is that referral's update; the status is found in any case.
 */
class ReferralIdCaseEndToEndTest extends RunningBus {

    private static final String CMS = "application/pkcs7-mime";

    @Autowired
    JmsTemplate jms;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;

    @Test
    void theSameReferralResentWithItsIdInUpperCaseIsADuplicateAndReachesNoProviderTwice() throws Exception {
        String id = PersonReferrals.newId();
        String xml = referral(id, null, "Мадина", "Қодирова");
        HttpResponse<byte[]> first = submit(xml);
        assertThat(first.statusCode()).isEqualTo(202);
        List<String> delivered = deliveredTo(id); // the receipt comes after the copies are stored

        HttpResponse<byte[]> again = submit(xml.replace(id, id.toUpperCase(Locale.ROOT)));

        assertThat(again.statusCode()).as(body(again)).isEqualTo(202);
        assertThat(again.body()).as("the stored receipt, byte for byte").isEqualTo(first.body());
        assertThat(again.headers().firstValue("Referral-Bus-Duplicate")).hasValue("true");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM referral WHERE LOWER(referral_id) = ?", Integer.class, id)).isEqualTo(1);
        assertThat(new ProviderInbox(jms).take("medical-dushanbe", id, 10_000)).as("one copy").hasSize(1);
        assertThat(deliveredTo(id)).as("no provider gets a second copy").isEqualTo(delivered).doesNotHaveDuplicates()
                .contains("medical-dushanbe");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM referral_facts WHERE LOWER(referral_id) = ?", Integer.class, id))
                .as("statistics count it once").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'DUPLICATE' AND referral_id = ?",
                Integer.class, id)).isEqualTo(1);
    }

    @Test
    void theReceiptEchoesTheIdAsFirstSentAndTheStatusIsFoundInAnyCase() throws Exception {
        String id = PersonReferrals.newId();
        String upper = id.toUpperCase(Locale.ROOT);
        String xml = referral(upper, null, "Шоира", "Раҷабова");

        HttpResponse<byte[]> first = submit(xml);
        HttpResponse<byte[]> again = submit(xml.replace(upper, id));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(json.readTree(first.body()).get("referralId").asString()).as("the agency matches its own string").isEqualTo(upper);
        assertThat(again.statusCode()).as(body(again)).isEqualTo(202);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(jdbc.queryForList("SELECT referral_id FROM referral WHERE sender = 'border-service' AND LOWER(referral_id) = ?",
                String.class, id)).as("stored in lower case").containsExactly(id);
        for (String asked : List.of(id, upper)) {
            HttpResponse<byte[]> status = agency("border-service").get("/api/v1/referrals/" + asked + "/status");
            assertThat(status.statusCode()).as(asked).isEqualTo(200);
            assertThat(json.readTree(status.body()).get("referralId").asString()).isEqualTo(id);
        }
        HttpResponse<byte[]> erased = provider("coordinator").post("/api/v1/erasures",
                ("{\"sender\":\"border-service\",\"referralId\":\"" + upper + "\"}").getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertThat(erased.statusCode()).as(body(erased)).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT envelope_removed FROM referral WHERE sender = 'border-service' AND referral_id = ?",
                String.class, id)).isEqualTo("ERASURE");
    }

    @Test
    void anUpdateNamingTheEarlierIdInAnotherCaseIsLinkedAsItsUpdate() throws Exception {
        String original = PersonReferrals.newId();
        String update = PersonReferrals.newId().toUpperCase(Locale.ROOT);
        Person person = person("Наргис", "Ҳакимова");
        assertThat(submit(PersonReferrals.referral(original, "border-service", person, "DUSHANBE", null, "ROUTINE",
                List.of("MEDICAL"))).statusCode()).isEqualTo(202);

        HttpResponse<byte[]> response = submit(PersonReferrals.referral(update, "border-service", person, "DUSHANBE",
                original.toUpperCase(Locale.ROOT), "URGENT", List.of("MEDICAL")));

        assertThat(response.statusCode()).as(body(response)).isEqualTo(202);
        Map<String, Object> row = jdbc.queryForMap("SELECT case_id, referral_version, supersedes FROM referral "
                + "WHERE sender = 'border-service' AND referral_id = ?", update.toLowerCase(Locale.ROOT));
        assertThat(row.get("referral_version")).isEqualTo(2);
        assertThat(row.get("supersedes")).isEqualTo(original);
        String caseId = jdbc.queryForObject(
                "SELECT case_id FROM referral WHERE sender = 'border-service' AND referral_id = ?", String.class, original);
        assertThat(row.get("case_id")).isEqualTo(caseId);
        HttpResponse<byte[]> found = provider("coordinator").get("/api/v1/cases?sender=border-service&referralId=" + update);
        assertThat(found.statusCode()).as(body(found)).isEqualTo(200);
        assertThat(body(found)).contains(caseId);
    }

    private List<String> deliveredTo(String id) {
        return jdbc.queryForList("SELECT provider_id FROM delivery WHERE LOWER(referral_id) = ? ORDER BY provider_id",
                String.class, id);
    }

    private static String referral(String id, String supersedes, String given, String family) {
        return PersonReferrals.referral(id, "border-service", person(given, family), "DUSHANBE", supersedes, "URGENT",
                List.of("MEDICAL"));
    }

    private static Person person(String given, String family) {
        return new Person(given, family, null, "FEMALE", PersonReferrals.freshBirthYear() + "-02-11", null);
    }

    private HttpResponse<byte[]> submit(String xml) throws Exception {
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8),
                SampleKeys.busCertificate());
        return agency("border-service").post("/api/v1/referrals", envelope, CMS);
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}

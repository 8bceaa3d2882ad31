package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

/** Case linking and referral versions, end to end over mutual TLS, the embedded broker and database. */
class CaseLinkingEndToEndTest extends RunningBus {

    private static final String CMS = "application/pkcs7-mime";

    @Autowired
    JmsTemplate jms;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    CaseLinks caseLinks;
    @Autowired
    org.referralbus.audit.AuditChainVerifier trailVerifier;

    @Test
    void samePersonReferredByAnotherAgencyInAnotherScriptJoinsTheCaseAndGoesToTheCoordinator() throws Exception {
        int year = PersonReferrals.freshBirthYear();
        String first = PersonReferrals.newId();
        String second = PersonReferrals.newId();
        Person border = new Person("Нигина", "Саидова", "Қурбоналиевна", "FEMALE", year + "-06-15", null);
        Person hotline = new Person("Nigina", "SAIDOVA", null, "FEMALE", null, java.time.Year.now().getValue() - year - 1);

        assertThat(submit("border-service", PersonReferrals.referral(first, "border-service", border, "DUSHANBE", null,
                "URGENT", List.of("SHELTER"))).statusCode()).isEqualTo(202);
        assertThat(submit("ngo-hotline", PersonReferrals.referral(second, "ngo-hotline", hotline, "KHATLON", null,
                "URGENT", List.of("SHELTER", "PSYCHOSOCIAL"))).statusCode()).isEqualTo(202);

        String caseId = caseOf("border-service", first);
        assertThat(caseOf("ngo-hotline", second)).isEqualTo(caseId);
        assertThat(caseLinks.isLinkedToExistingCase("ngo-hotline", second)).as("another agency's case is not shown (issue 10)").isFalse();
        assertThat(caseLinks.isLinkedToExistingCase("border-service", first)).isFalse();
        assertThat(caseLinks.isLinkedToExistingCase("border-service", second)).as("only the sender's own referral").isFalse();

        ProviderInbox inbox = new ProviderInbox(jms);
        assertThat(inbox.take("shelter-dushanbe", second, 1_000)).as("not the other agency's shelter").isEmpty();
        // Every need waits for the coordinator's decision, also those nobody in the case holds (issue 10).
        assertThat(jdbc.queryForList("SELECT rule FROM delivery WHERE referral_id = ?", String.class, second))
                .containsExactly("coordinator-review:SHELTER,coordinator-review:PSYCHOSOCIAL,linked-case-notice");
        assertThat(inbox.take("coordinator", second, 10_000)).singleElement()
                .satisfies(d -> {
                    assertThat(d.xml()).contains("<linkedCase>" + caseId + "</linkedCase>", "LINKED_CASE");
                    assertValidDelivery(d.xml());
                });
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'LINKED' AND referral_id = ?",
                String.class, second)).singleElement().asString()
                .matches("case:" + caseId + ";rule:names(\\+birth-date|\\+patronymic)?;score:[01]\\.\\d{3}");
        assertThat(jdbc.queryForObject("SELECT link_rule FROM referral WHERE referral_id = ?", String.class, second))
                .as("the rule is kept with the referral for the coordinator").startsWith("names");
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'LINKED' AND referral_id = ?",
                String.class, first)).as("the trail also names the referral that opened the case")
                .containsExactly("case:" + caseId + ";rule:new-case");
        assertNoNameStored("Нигина", "Саидов", "Nigina", "SAIDOV", "nigina", "saidov");
    }

    /**
     * Issue 10, finding 2, the reviewer's probe: iom-mission, knowing a name and a birth date, referred
     * "Mehrangez RAHIMOVA" in another region and read the Dushanbe shelter border-service had placed her with off its
     * status ({@code SHELTER -> shelter-dushanbe [linked-case:SHELTER]}, {@code linkedToExistingCase: true}); the
     * shelter got the fabricated referral too. Now the probe goes to the coordinator only, and its sender sees
     * nothing of the other agency's case.
     */
    @Test
    void anotherAgencysReferralOfTheSamePersonGoesToTheCoordinatorAndItsStatusRevealsNothingOfTheCase() throws Exception {
        int year = PersonReferrals.freshBirthYear();
        String placed = PersonReferrals.newId();
        String probe = PersonReferrals.newId();
        assertThat(submit("border-service", PersonReferrals.referral(placed, "border-service",
                new Person("Меҳрангез", "Раҳимова", "Қурбоналиевна", "FEMALE", year + "-04-12", null), "DUSHANBE", null,
                "URGENT", List.of("SHELTER"))).statusCode()).isEqualTo(202);
        ProviderInbox inbox = new ProviderInbox(jms);
        assertThat(inbox.take("shelter-dushanbe", placed, 10_000)).hasSize(1);

        assertThat(submit("iom-mission", PersonReferrals.referral(probe, "iom-mission",
                new Person("Mehrangez", "RAHIMOVA", null, "FEMALE", year + "-04-12", null), "KHATLON", null,
                "URGENT", List.of("SHELTER"))).statusCode()).isEqualTo(202);

        String caseId = caseOf("border-service", placed);
        assertThat(caseOf("iom-mission", probe)).as("the bus still links the case, for the coordinator").isEqualTo(caseId);
        HttpResponse<byte[]> status = agency("iom-mission").get("/api/v1/referrals/" + probe + "/status");
        assertThat(status.statusCode()).isEqualTo(200);
        String body = new String(status.body(), StandardCharsets.UTF_8);
        assertThat(body).doesNotContain("shelter-dushanbe", "linked-case", caseId, placed, "border-service", "coordinator-review");
        assertThat(json.readTree(status.body()).get("linkedToExistingCase").asBoolean()).isFalse();
        assertThat(json.readTree(status.body()).get("needs")).singleElement().satisfies(need -> {
            assertThat(need.get("provider").asString()).isEqualTo("coordinator");
            // the rule only another agency's case writes reads as a full shelter's would (outside review, December 2026)
            assertThat(need.get("history").get(0).get("detail").asString()).isEqualTo("coordinator:SHELTER");
        });
        assertThat(inbox.take("shelter-dushanbe", probe, 1_000)).as("the shelter receives nothing new").isEmpty();
        assertThat(jdbc.queryForList("SELECT provider_id FROM delivery WHERE referral_id = ?", String.class, probe))
                .containsExactly("coordinator");
        assertThat(inbox.take("coordinator", probe, 10_000)).singleElement().satisfies(d -> {
            assertThat(d.xml()).contains("<linkedCase>" + caseId + "</linkedCase>", "LINKED_CASE", "SHELTER</");
            assertValidDelivery(d.xml());
        });
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'LINKED' AND referral_id = ?",
                String.class, probe)).as("auditors see the link").singleElement().asString().startsWith("case:" + caseId + ";rule:");
    }

    @Test
    void theSameAgencyReferringAgainStillGoesToItsOwnShelterAndAnUpdateOfAProbeStaysWithTheCoordinator() throws Exception {
        int year = PersonReferrals.freshBirthYear();
        Person person = new Person("Зулфия", "Одинаева", null, "FEMALE", year + "-08-08", null);
        String placed = PersonReferrals.newId();
        String probe = PersonReferrals.newId();
        String again = PersonReferrals.newId();
        String probeUpdate = PersonReferrals.newId();
        submit("border-service", PersonReferrals.referral(placed, "border-service", person, "DUSHANBE", null, "URGENT", List.of("SHELTER")));
        submit("iom-mission", PersonReferrals.referral(probe, "iom-mission", person, "KHATLON", null, "URGENT", List.of("SHELTER")));

        submit("border-service", PersonReferrals.referral(again, "border-service", person, "KHATLON", null, "URGENT", List.of("SHELTER")));
        submit("iom-mission", PersonReferrals.referral(probeUpdate, "iom-mission", person, "DUSHANBE", probe, "URGENT", List.of("SHELTER")));

        assertThat(jdbc.queryForList("SELECT rule FROM delivery WHERE referral_id = ? AND provider_id = 'shelter-dushanbe'",
                String.class, again)).as("its own placement").containsExactly("linked-case:SHELTER");
        assertThat(caseLinks.isLinkedToExistingCase("border-service", again)).as("it knows its own referrals").isTrue();
        assertThat(jdbc.queryForList("SELECT provider_id FROM delivery WHERE referral_id = ?", String.class, probeUpdate))
                .as("an update of a probe is no way round the coordinator").containsExactly("coordinator");
        assertThat(caseLinks.isLinkedToExistingCase("iom-mission", probeUpdate)).isFalse();
    }

    /** A provider that declined the person is not preferred for the next referral of the case (it was: linked-case). */
    @Test
    void theSameAgencyReferringAgainIsNotSentBackToTheProviderThatDeclinedThePerson() throws Exception {
        int year = PersonReferrals.freshBirthYear();
        Person person = new Person("Мавзуна", "Каримова", null, "FEMALE", year + "-03-03", null);
        String placed = PersonReferrals.newId();
        String again = PersonReferrals.newId();
        submit("border-service", PersonReferrals.referral(placed, "border-service", person, "DUSHANBE", null, "URGENT", List.of("SHELTER")));
        assertThat(jdbc.update("UPDATE delivery SET state = 'DECLINED' WHERE referral_id = ? AND provider_id = 'shelter-dushanbe'",
                placed)).isEqualTo(1);

        submit("border-service", PersonReferrals.referral(again, "border-service", person, "KHATLON", null, "URGENT", List.of("SHELTER")));

        assertThat(jdbc.queryForList("SELECT rule FROM delivery WHERE referral_id = ?", String.class, again))
                .noneMatch(rule -> rule.contains("linked-case:SHELTER"));
        assertThat(jdbc.queryForList("SELECT provider_id FROM delivery WHERE referral_id = ?", String.class, again))
                .doesNotContain("shelter-dushanbe");
    }

    @Test
    void differentPersonWithTheSameFamilyNameOpensItsOwnCase() throws Exception {
        int year = PersonReferrals.freshBirthYear();
        String first = PersonReferrals.newId();
        String sister = PersonReferrals.newId();
        submit("border-service", PersonReferrals.referral(first, "border-service",
                new Person("Мадина", "Раҳимова", "Сафаровна", "FEMALE", year + "-02-01", null), "DUSHANBE", null, "URGENT", List.of("SHELTER")));
        submit("ngo-hotline", PersonReferrals.referral(sister, "ngo-hotline",
                new Person("Zarina", "Rakhimova", "Safarovna", "FEMALE", (year + 1) + "-09-09", null), "DUSHANBE", null, "URGENT", List.of("SHELTER")));

        assertThat(caseOf("ngo-hotline", sister)).isNotEqualTo(caseOf("border-service", first));
        assertThat(caseOf("border-service", first)).as("not computable from the referral's ids").isNotEqualTo(
                java.util.UUID.nameUUIDFromBytes(("case\nborder-service\n" + first).getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(caseLinks.isLinkedToExistingCase("ngo-hotline", sister)).isFalse();
    }

    @Test
    void updateIsVersionedAndGoesToTheProvidersHoldingTheCaseAsAnUpdate() throws Exception {
        int year = PersonReferrals.freshBirthYear();
        Person person = new Person("Фарзона", "Ғафурова", null, "FEMALE", year + "-01-20", null);
        String original = PersonReferrals.newId();
        String update = PersonReferrals.newId();
        submit("border-service", PersonReferrals.referral(original, "border-service", person, "DUSHANBE", null, "ROUTINE",
                List.of("SHELTER", "MEDICAL")));

        HttpResponse<byte[]> response = submit("border-service", PersonReferrals.referral(update, "border-service", person,
                "DUSHANBE", original, "URGENT", List.of("SHELTER", "MEDICAL")));

        assertThat(response.statusCode()).isEqualTo(202);
        Map<String, Object> row = jdbc.queryForMap("SELECT case_id, referral_version, supersedes FROM referral "
                + "WHERE sender = 'border-service' AND referral_id = ?", update);
        assertThat(row.get("referral_version")).isEqualTo(2);
        assertThat(row.get("supersedes")).isEqualTo(original);
        assertThat(row.get("case_id")).isEqualTo(caseOf("border-service", original));
        ProviderInbox inbox = new ProviderInbox(jms);
        for (String provider : List.of("shelter-dushanbe", "medical-dushanbe")) {
            assertThat(inbox.take(provider, update, 10_000)).singleElement().satisfies(d -> {
                assertThat(d.xml()).contains("<supersedes>" + original + "</supersedes>", "<referralVersion>2</referralVersion>")
                        .doesNotContain("linkedCase");
                assertValidDelivery(d.xml());
            });
        }
        assertThat(inbox.take("coordinator", update, 300)).as("an update is not a new case for the coordinator").isEmpty();
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'LINKED' AND referral_id = ?",
                String.class, update)).singleElement().asString().contains("supersedes:" + original, "version:2");
        assertThat(caseLinks.isLinkedToExistingCase("border-service", update)).isFalse();
    }

    @Test
    void updateOfAnUnknownOrAnotherAgencysReferralIsRefusedAndLeavesNothing() throws Exception {
        int year = PersonReferrals.freshBirthYear();
        Person person = new Person("Рустам", "Назаров", null, "MALE", year + "-05-05", null);
        String hotlines = PersonReferrals.newId();
        submit("ngo-hotline", PersonReferrals.referral(hotlines, "ngo-hotline", person, "DUSHANBE", null, "URGENT", List.of("MEDICAL")));

        for (String supersedes : List.of(PersonReferrals.newId(), hotlines)) {
            String update = PersonReferrals.newId();
            HttpResponse<byte[]> refused = submit("border-service", PersonReferrals.referral(update, "border-service", person,
                    "DUSHANBE", supersedes, "URGENT", List.of("MEDICAL")));

            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(json.readTree(refused.body()).get("code").asString()).isEqualTo("supersedes_unknown");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM referral WHERE referral_id = ?", Integer.class, update)).isZero();
            assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'REJECTED' AND referral_id = ?",
                    String.class, update)).containsExactly("supersedes_unknown");
        }
    }

    @Test
    void sameEnvelopeThroughHttpsAndTheIntakeQueueIsProcessedOnce() throws Exception {
        int year = PersonReferrals.freshBirthYear();
        String referralId = PersonReferrals.newId();
        byte[] envelope = seal("iom-mission", PersonReferrals.referral(referralId, "iom-mission",
                new Person("Шаҳло", "Юсупова", null, "FEMALE", year + "-03-03", null), "GBAO", null, "URGENT", List.of("RETURN")));

        HttpResponse<byte[]> first = agency("iom-mission").post("/api/v1/referrals", envelope, CMS);
        jms.send("referrals.intake", session -> {
            var message = session.createBytesMessage();
            message.writeBytes(envelope);
            return message;
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM audit_event WHERE event_type = 'DUPLICATE' AND referral_id = ?", Integer.class, referralId) == 1);
        jms.send("referrals.intake", session -> { // a redelivery, or a gateway sending twice
            var message = session.createBytesMessage();
            message.writeBytes(envelope);
            return message;
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM audit_event WHERE event_type = 'DUPLICATE' AND referral_id = ?", Integer.class, referralId) == 2);
        HttpResponse<byte[]> third = agency("iom-mission").post("/api/v1/referrals", envelope, CMS);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(third.body()).isEqualTo(first.body());
        assertThat(new ProviderInbox(jms).take("reintegration-national", referralId, 10_000)).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ?", Integer.class, referralId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'REJECTED' AND referral_id = ?",
                Integer.class, referralId)).isZero();
    }

    @Test
    void referralLeftHalfProcessedByACrashIsTakenOverOnceItsLeaseRanOut() throws Exception {
        int year = PersonReferrals.freshBirthYear();
        String referralId = PersonReferrals.newId();
        String xml = PersonReferrals.referral(referralId, "border-service",
                new Person("Дилноза", "Шарипова", null, "FEMALE", year + "-10-10", null), "DUSHANBE", null, "URGENT", List.of("MEDICAL"));
        // What a crash right after the ledger insert leaves behind: a RECEIVED row, no case, no delivery, no receipt.
        jdbc.update("INSERT INTO referral (sender, referral_id, content_sha256, envelope_sha256, state, received_at) "
                        + "VALUES ('border-service', ?, ?, ?, 'RECEIVED', ?)", referralId,
                org.referralbus.core.Sha256.hex(xml.getBytes(StandardCharsets.UTF_8)), "0".repeat(64),
                java.time.OffsetDateTime.now().minusMinutes(5));

        HttpResponse<byte[]> retry = submit("border-service", xml);

        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(jdbc.queryForObject("SELECT state FROM referral WHERE referral_id = ?", String.class, referralId)).isEqualTo("ROUTED");
        assertThat(new ProviderInbox(jms).take("medical-dushanbe", referralId, 10_000)).hasSize(1);
    }

    /**
     * Issue 16, Must 5: the coordinator splits a wrongly linked referral out of its case and merges cases, over the API
     * and the command line; a provider is refused; the providers holding what moved are told if a copy gave them its
     * case id, the others not (the notice would tell them that another referral of their client exists) and reported
     * so; a later referral matching both sides of the split is flagged; the trail shows every step and verifies.
     */
    @Test
    void coordinatorSplitsAndMergesCasesAndOnlyTheProvidersGivenTheCaseIdAreTold() throws Exception {
        int year = PersonReferrals.freshBirthYear();
        Person person = new Person("Гулрухсор", "Давлатова", null, "FEMALE", year + "-07-21", null);
        String placed = PersonReferrals.newId();
        String linked = PersonReferrals.newId();
        submit("border-service", PersonReferrals.referral(placed, "border-service", person, "DUSHANBE", null, "URGENT", List.of("SHELTER")));
        submit("border-service", PersonReferrals.referral(linked, "border-service", person, "DUSHANBE", null, "URGENT",
                List.of("SHELTER", "MEDICAL")));
        String caseId = caseOf("border-service", placed);
        assertThat(caseOf("border-service", linked)).isEqualTo(caseId);
        java.io.StringWriter found = new java.io.StringWriter();
        assertThat(org.referralbus.cli.ReferralBusCommandLine.run(new java.io.PrintWriter(found, true),
                "case", "find", placed, "--sender", "border-service", "--as", "coordinator", "--bus", baseUrl())).as(found.toString()).isZero();
        assertThat(found.toString()).as("the case of a referral that opened it, named in no copy")
                .startsWith("case " + caseId + ": 2 referrals").contains(placed + " from border-service v1", "(opened the case)");
        ProviderInbox inbox = new ProviderInbox(jms);
        assertThat(inbox.take("shelter-dushanbe", placed, 10_000)).hasSize(1);
        assertThat(inbox.take("shelter-dushanbe", linked, 10_000)).as("the shelter holding the case: given its id")
                .singleElement().satisfies(d -> assertThat(d.xml()).contains("<linkedCase>" + caseId + "</linkedCase>"));
        assertThat(inbox.take("medical-dushanbe", linked, 10_000)).as("chosen by region: no case id")
                .singleElement().satisfies(d -> assertThat(d.xml()).doesNotContain("linkedCase"));
        inbox.take("coordinator", linked, 2_000);

        HttpResponse<byte[]> refused = provider("shelter-dushanbe").post("/api/v1/cases/" + caseId + "/split",
                ("{\"referralId\":\"" + linked + "\"}").getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json.readTree(refused.body()).get("code").asString()).isEqualTo("forbidden");
        assertThat(caseOf("border-service", linked)).isEqualTo(caseId);

        HttpResponse<byte[]> view = provider("coordinator").get("/api/v1/cases/" + caseId);
        assertThat(view.statusCode()).isEqualTo(200);
        var members = json.readTree(view.body()).get("referrals");
        assertThat(members).hasSize(2);
        assertThat(members.get(1).get("referralId").asString()).isEqualTo(linked);
        assertThat(members.get(1).get("linkRule").asString()).as("why the machine linked them").startsWith("names");
        assertThat(members.get(1).get("linkScore").asDouble()).isBetween(0.5, 1.0);
        assertThat(new String(view.body(), StandardCharsets.UTF_8)).doesNotContain("Гулрухсор", "Давлатова");

        HttpResponse<byte[]> split = provider("coordinator").post("/api/v1/cases/" + caseId + "/split",
                ("{\"referralId\":\"" + linked + "\"}").getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(split.statusCode()).isEqualTo(200);
        String splitCase = json.readTree(split.body()).get("otherCaseId").asString();
        assertThat(caseOf("border-service", linked)).isEqualTo(splitCase);
        assertThat(caseOf("border-service", placed)).isEqualTo(caseId);
        assertThat(inbox.take("shelter-dushanbe", linked, 10_000)).singleElement().satisfies(d -> {
            assertThat(d.xml()).contains("<reason>CASE_SPLIT:" + caseId + "</reason>", "<linkedCase>" + splitCase + "</linkedCase>");
            assertValidDelivery(d.xml());
        });
        aNoticeTakesNoAnswerHasNoDeadlineAndSaysWhatItIs("shelter-dushanbe", linked);
        var splitAnswer = json.readTree(split.body());
        assertThat(splitAnswer.get("providersTold")).singleElement()
                .satisfies(t -> assertThat(t.get("providerId").asString()).isEqualTo("shelter-dushanbe"));
        assertThat(splitAnswer.get("providersNotTold")).as("no copy it holds named a case: a notice would tell it of another")
                .singleElement().satisfies(t -> {
                    assertThat(t.get("providerId").asString()).isEqualTo("medical-dushanbe");
                    assertThat(t.get("referralId").asString()).isEqualTo(linked);
                    assertThat(t.get("reason").asString()).isEqualTo("CASE_SPLIT:" + caseId);
                    assertThat(t.get("notToldBecause").asString()).isEqualTo("never-given-the-case");
                });
        assertThat(inbox.take("medical-dushanbe", linked, 3_000)).as("never given a case id: not told of another").isEmpty();
        assertThat(jdbc.queryForList("SELECT counterpart || ' ' || detail FROM audit_event WHERE event_type = 'CASE_NOTICE_NOT_SENT'"
                + " AND referral_id = ?", String.class, linked)).as("the trail says who was not told, and why")
                .containsExactly("medical-dushanbe case:" + splitCase + ";not-told:never-given-the-case");
        assertThat(inbox.take("shelter-dushanbe", placed, 3_000)).as("left behind, its case unchanged: nothing to tell,"
                + " and a notice would say someone else referred the person").isEmpty();

        String again = PersonReferrals.newId();
        submit("border-service", PersonReferrals.referral(again, "border-service", person, "DUSHANBE", null, "URGENT", List.of("RETURN")));
        String otherSide = caseOf("border-service", again).equals(caseId) ? splitCase : caseId;
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'LINKED' AND referral_id = ?", String.class, again))
                .as("a referral matching both sides of the split is flagged, not joined silently")
                .singleElement().asString().endsWith(";split-from:" + otherSide);

        java.io.StringWriter printed = new java.io.StringWriter();
        int exit = org.referralbus.cli.ReferralBusCommandLine.run(new java.io.PrintWriter(printed, true),
                "case", "merge", caseId, splitCase, "--as", "coordinator", "--bus", baseUrl());
        assertThat(exit).as(printed.toString()).isZero();
        assertThat(printed.toString()).contains("MERGE: case " + caseId, "told shelter-dushanbe about " + linked,
                "NOT told medical-dushanbe about " + linked + " (never-given-the-case)");
        assertThat(caseOf("border-service", linked)).isEqualTo(caseId);
        assertThat(inbox.take("shelter-dushanbe", linked, 10_000)).singleElement().satisfies(d ->
                assertThat(d.xml()).contains("<reason>CASES_MERGED:" + splitCase + "</reason>", "<linkedCase>" + caseId + "</linkedCase>"));
        assertThat(inbox.take("medical-dushanbe", linked, 3_000)).isEmpty();

        assertThat(jdbc.queryForList("SELECT event_type || ' ' || actor || ' ' || detail FROM audit_event WHERE referral_id = ?"
                + " AND event_type IN ('LINKED', 'CASE_SPLIT', 'CASES_MERGED') ORDER BY seq", String.class, linked)).satisfiesExactly(
                e -> assertThat(e).startsWith("LINKED referral-bus case:" + caseId + ";rule:names"),
                e -> assertThat(e).isEqualTo("CASE_SPLIT coordinator case:" + splitCase + ";from:" + caseId + ";rule:coordinator"),
                e -> assertThat(e).isEqualTo("CASES_MERGED coordinator case:" + caseId + ";from:" + splitCase + ";rule:coordinator"));
        java.io.StringWriter story = new java.io.StringWriter();
        assertThat(org.referralbus.cli.ReferralBusCommandLine.run(new java.io.PrintWriter(story, true),
                "audit", "story", linked, "--as", "oversight-board", "--bus", baseUrl())).isZero();
        assertThat(story.toString()).contains("LINKED", "rule:names", "score:", "CASE_SPLIT coordinator", "CASES_MERGED coordinator");
        assertThat(trailVerifier.verify().intact()).isTrue();
    }

    /**
     * A case notice owns no need: no deadline (it would be escalated, and counted so), listed in the inbox with its rule,
     * and an answer to it is refused with a sentence saying so (accepted, it changed nothing the provider believed it did).
     */
    private void aNoticeTakesNoAnswerHasNoDeadlineAndSaysWhatItIs(String providerId, String referralId) throws Exception {
        String notice = jdbc.queryForObject("SELECT delivery_id FROM delivery WHERE provider_id = ? AND referral_id = ? "
                + "AND rule = 'case-notice'", String.class, providerId, referralId);
        assertThat(jdbc.queryForObject("SELECT state FROM delivery WHERE delivery_id = ?", String.class, notice)).isEqualTo("DELIVERED");
        assertThat(jdbc.queryForObject("SELECT ack_deadline FROM delivery WHERE delivery_id = ?", Object.class, notice)).isNull();
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'DELIVERED' AND detail LIKE ?", String.class,
                "delivery:" + notice + ";%")).as("the trail tells a notice from a copy").singleElement().asString().endsWith(";case-notice");

        var listed = json.readTree(provider(providerId).get("/api/v1/inbox").body()).get("deliveries");
        assertThat(java.util.stream.StreamSupport.stream(listed.spliterator(), false).filter(d -> d.get("deliveryId").asString().equals(notice)).toList())
                .singleElement().satisfies(d -> assertThat(d.get("rule").asString()).isEqualTo("case-notice"));

        HttpResponse<byte[]> answered = provider(providerId).post("/api/v1/inbox/" + notice + "/ack",
                "{\"decision\":\"ACCEPTED\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(answered.statusCode()).isEqualTo(400);
        assertThat(json.readTree(answered.body()).get("code").asString()).isEqualTo("invalid_request");
        assertThat(json.readTree(answered.body()).get("detail").asString()).contains("is a case notice", "takes no answer");
        assertThat(jdbc.queryForObject("SELECT state FROM delivery WHERE delivery_id = ?", String.class, notice)).isEqualTo("DELIVERED");
    }

    /** The additive elements keep the delivery valid against {@code schemas/delivery-v1.xsd}. */
    private static void assertValidDelivery(String xml) {
        try {
            javax.xml.validation.SchemaFactory factory = javax.xml.validation.SchemaFactory.newInstance(
                    javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.newSchema(java.nio.file.Path.of("schemas/delivery-v1.xsd").toFile()).newValidator()
                    .validate(new javax.xml.transform.stream.StreamSource(new java.io.StringReader(xml)));
        } catch (Exception e) {
            throw new AssertionError("delivery not valid against delivery-v1.xsd: " + e.getMessage(), e);
        }
    }

    /**
     * Issue 14: two referrals of the same person arriving at the same instant (here two request threads of one bus;
     * LocalClusterEndToEndTest does it on two nodes over PostgreSQL) must not both find no case and open two. Each
     * pair is released together from a barrier; the case opening lock makes the second wait for the first's case.
     */
    @Test
    void samePersonSubmittedTwiceAtTheSameInstantOpensOneCase() throws Exception {
        int pairs = 6;
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(pairs * 2);
        try {
            List<String[]> ids = new java.util.ArrayList<>();
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                int year = PersonReferrals.freshBirthYear();
                Person person = new Person("Зарина", "Назарова", "Алиевна", "FEMALE", year + "-03-0" + (1 + i % 9), null);
                String[] pair = {PersonReferrals.newId(), PersonReferrals.newId()};
                ids.add(pair);
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                for (String id : pair) {
                    byte[] envelope = seal("border-service", PersonReferrals.referral(id, "border-service", person, "DUSHANBE", null,
                            "URGENT", List.of("SHELTER")));
                    answers.add(threads.submit(() -> {
                        together.await();
                        return agency("border-service").post("/api/v1/referrals", envelope, CMS).statusCode();
                    }));
                }
            }
            for (java.util.concurrent.Future<Integer> answer : answers) {
                assertThat(answer.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(202);
            }
            for (String[] pair : ids) {
                assertThat(caseOf("border-service", pair[1])).as("both referrals of one person, in one case")
                        .isNotNull().isEqualTo(caseOf("border-service", pair[0]));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private String caseOf(String sender, String referralId) {
        return jdbc.queryForObject("SELECT case_id FROM referral WHERE sender = ? AND referral_id = ?", String.class, sender, referralId);
    }

    private void assertNoNameStored(String... names) {
        String stored = jdbc.queryForList("SELECT * FROM person_key").toString() + jdbc.queryForList("SELECT * FROM referral")
                + jdbc.queryForList("SELECT * FROM person_encoding")
                + jdbc.queryForList("SELECT * FROM audit_event");
        for (String name : names) {
            assertThat(stored).doesNotContain(name);
        }
    }

    private HttpResponse<byte[]> submit(String agencyId, String xml) throws Exception {
        return agency(agencyId).post("/api/v1/referrals", seal(agencyId, xml), CMS);
    }

    private static byte[] seal(String agencyId, String xml) {
        return SampleKeys.agencySealer(agencyId).seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
    }
}

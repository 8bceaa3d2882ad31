package org.referralbus.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.referralbus.audit.RefusalTally;
import org.referralbus.cli.ReferralBusCommandLine;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * The operator's dead-letter commands against the running bus over mutual TLS: a provider copy the provider's
 * client kept rolling back lands on DLQ, a garbage intake envelope is parked as rejected; the admin lists them
 * (metadata, no content), shows one, redelivers one and all, and each action is in the audit trail.
 */
class DeadLetterCommandsEndToEndTest extends RunningBus {

    @Autowired
    ConnectionFactory connections;
    @Autowired
    JmsTemplate jms;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    RefusalTally tally;

    @Test
    void adminListsShowsAndRedeliversDeadLettersAndEveryActionIsAudited() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        assertThat(agency("border-service").post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode()).isEqualTo(202);
        rollBackUntilDeadLettered("deliveries.shelter-dushanbe", referralId);
        long auditMark = jdbc.queryForObject("SELECT MAX(seq) FROM audit_event", Long.class);

        Run list = run("admin", "dead-letters", "list");
        assertThat(list.exit()).as(list.output()).isZero();
        Matcher line = Pattern.compile("(?m)^  (\\S+) DLQ from deliveries\\.shelter-dushanbe delivery-attempts-exhausted \\S+$")
                .matcher(list.output());
        assertThat(line.find()).as(list.output()).isTrue();
        String id = line.group(1);
        assertThat(list.output()).doesNotContain("givenName", "familyName", "<");

        Run show = run("admin", "dead-letters", "show", id);
        assertThat(show.exit()).as(show.output()).isZero();
        assertThat(show.output()).contains("referral " + referralId).containsPattern("sha256 [0-9a-f]{64}");

        Run redeliver = run("admin", "dead-letters", "redeliver", id);
        assertThat(redeliver.exit()).as(redeliver.output()).isZero();
        assertThat(redeliver.output()).contains("1 redelivered", id + " DLQ -> deliveries.shelter-dushanbe");
        assertThat(new ProviderInbox(jms).take("shelter-dushanbe", referralId, 10_000)).singleElement()
                .satisfies(copy -> assertThat(copy.xml()).contains(referralId));
        assertThat(run("admin", "dead-letters", "show", id).exit()).as("gone from DLQ").isEqualTo(1);

        List<String> audited = jdbc.queryForList("SELECT event_type || ' ' || actor || ' ' || COALESCE(detail, '') FROM audit_event "
                + "WHERE seq > ? AND event_type IN ('DEAD_LETTERS_VIEWED', 'DEAD_LETTER_REDELIVERED') ORDER BY seq", String.class, auditMark);
        assertThat(audited).as("list, show, redeliver; the refused show moved nothing").hasSize(3);
        assertThat(audited.get(0)).startsWith("DEAD_LETTERS_VIEWED bus-admin list;count=");
        assertThat(audited.get(1)).isEqualTo("DEAD_LETTERS_VIEWED bus-admin show;message=" + id);
        assertThat(audited.get(2)).startsWith("DEAD_LETTER_REDELIVERED bus-admin message=" + id + ";from=DLQ;delivery=")
                .endsWith(";referral=" + referralId);
    }

    @Test
    void redeliverAllPutsParkedIntakeEnvelopesBackOnTheIntake() throws Exception {
        jms.convertAndSend("referrals.intake", "not an envelope".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(60)).until(() -> run("admin", "dead-letters", "list").output()
                .contains("referrals.intake.rejected from referrals.intake rejected:envelope_malformed"));

        Run all = run("admin", "dead-letters", "redeliver", "--all");

        assertThat(all.exit()).as(all.output()).isZero();
        assertThat(all.output()).containsPattern("\\S+ referrals\\.intake\\.rejected -> referrals\\.intake");
        // Still garbage: the intake refuses it again and parks it again, under a new id.
        await().atMost(Duration.ofSeconds(60)).until(() -> run("admin", "dead-letters", "list").output()
                .contains("rejected:envelope_malformed"));
    }

    /**
     * The bus's 4 MB per queue lets the broker walk past 16 MB to move one dead letter (it keeps what it walked past in
     * memory): one parked behind 190 copies of 90 KB is refused in one sentence saying what to do, nothing moves, and
     * the refusal is audited as the admin's, naming the dead letter. {@code --all} refuses the 190 (they name no origin)
     * and so leaves it too deep: it stays parked, and each refusal is in the output, the exit code and the trail.
     */
    @Test
    void aDeadLetterParkedBehindMoreThanTheBrokerMayWalkPastIsRefusedInOneSentenceAndStaysParked() throws Exception {
        int ahead = 190;
        String id;
        try (JMSContext context = connections.createContext(JMSContext.SESSION_TRANSACTED)) {
            for (int i = 0; i < ahead; i++) {
                BytesMessage older = context.createBytesMessage();
                older.writeBytes(new byte[90_000]);
                context.createProducer().send(context.createQueue("DLQ"), older);
            }
            BytesMessage newest = context.createBytesMessage();
            newest.writeBytes("sealed copy".getBytes(StandardCharsets.UTF_8));
            newest.setStringProperty("_AMQ_ORIG_QUEUE", "deliveries.shelter-dushanbe"); // as the broker labels what it parks
            context.createProducer().send(context.createQueue("DLQ"), newest);
            context.commit();
            id = newest.getJMSMessageID().replaceFirst("^ID:", "");
        }
        try {
            tally.flush();
            long auditMark = jdbc.queryForObject("SELECT MAX(seq) FROM audit_event", Long.class);

            Run refused = run("admin", "dead-letters", "redeliver", id);

            assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output().strip()).as("one sentence").doesNotContain("\n", "Exception")
                    .startsWith("error: The bus refused this (redelivery_too_deep): " + ahead + " older messages (16.5 MB) wait ahead of this"
                            + " dead letter in DLQ, more than the broker may walk past to move one (16.0 MB,")
                    .endsWith("redeliver them all with 'admin dead-letters redeliver --all', or redeliver the older ones first.");
            assertThat(queueHolds("DLQ", "JMSMessageID = 'ID:" + id + "'")).as("still parked").isTrue();
            tally.flush();
            assertThat(refusalsAndRedeliveriesSince(auditMark)).as("the refusal names the dead letter, never its content")
                    .containsExactly("REJECTED bus-admin deliveries.shelter-dushanbe redelivery_too_deep;POST /api/v1/admin/dead-letters/{id}/redeliver;message="
                            + id + ";from=DLQ;count=1");
            long allMark = jdbc.queryForObject("SELECT MAX(seq) FROM audit_event", Long.class);

            // --all refuses the older ones (they name no origin), which stay ahead of it: it is refused too, and named.
            Run all = run("admin", "dead-letters", "redeliver", "--all");

            assertThat(all.exit()).as(all.output()).isEqualTo(1);
            assertThat(all.output()).containsPattern("^\\d+ redelivered\n")
                    .contains("  " + id + " DLQ not redelivered (redelivery_too_deep): still parked\n")
                    .contains(" DLQ not redelivered (invalid_request): still parked\n").doesNotContain(id + " DLQ ->", "Exception");
            assertThat(queueHolds("DLQ", "JMSMessageID = 'ID:" + id + "'")).as("still parked").isTrue();
            tally.flush();
            assertThat(refusalsAndRedeliveriesSince(allMark)).as("one row per refused dead letter")
                    .filteredOn(row -> row.startsWith("REJECTED bus-admin ")).hasSize(ahead + 1).filteredOn(row -> row.contains(" invalid_request;")).hasSize(ahead)
                    .allMatch(row -> row.matches("REJECTED bus-admin - invalid_request;POST /api/v1/admin/dead-letters/redeliver;message=[0-9a-f-]{36};from=DLQ;count=1"));
            assertThat(refusalsAndRedeliveriesSince(allMark)).contains("REJECTED bus-admin deliveries.shelter-dushanbe"
                    + " redelivery_too_deep;POST /api/v1/admin/dead-letters/redeliver;message=" + id + ";from=DLQ;count=1");
        } finally {
            try (JMSContext context = connections.createContext(JMSContext.AUTO_ACKNOWLEDGE);
                 JMSConsumer dlq = context.createConsumer(context.createQueue("DLQ"))) {
                while (dlq.receive(2_000) != null) {
                    // taken off: the other tests park their own
                }
            }
        }
    }

    @Test
    void onlyAnAdminCertificateMayUseTheCommands() {
        Run asAgency = run("admin", "dead-letters", "list", "--cert", "keys-sample/agencies/border-service.crt",
                "--key", "keys-sample/agencies/border-service.key");
        assertThat(asAgency.exit()).isEqualTo(1);
        assertThat(asAgency.output()).contains("forbidden");

        Run neither = run("admin", "dead-letters", "redeliver");
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.output()).contains("either one dead letter's ID").doesNotContain("Exception");
    }

    /** A provider's client that keeps failing on this copy: the broker gives up after its attempts and parks it. */
    private void rollBackUntilDeadLettered(String queue, String referralId) {
        String selector = "referralBusReferralId = '" + referralId + "'";
        try (JMSContext context = connections.createContext(JMSContext.SESSION_TRANSACTED);
             JMSConsumer consumer = context.createConsumer(context.createQueue(queue), selector)) {
            await().atMost(Duration.ofMinutes(3)).until(() -> {
                Message message = consumer.receive(2_000);
                if (message == null) {
                    return queueHolds("DLQ", selector); // while the broker waits to redeliver, the copy is in neither queue
                }
                assertThat(message).isInstanceOf(BytesMessage.class);
                context.rollback();
                return false;
            });
        }
    }

    private List<String> refusalsAndRedeliveriesSince(long seq) {
        return jdbc.queryForList("SELECT event_type || ' ' || actor || ' ' || COALESCE(counterpart, '-') || ' ' || detail FROM audit_event"
                + " WHERE seq > ? AND event_type IN ('REJECTED', 'DEAD_LETTER_REDELIVERED') ORDER BY seq", String.class, seq);
    }

    private boolean queueHolds(String queue, String selector) {
        return Boolean.TRUE.equals(jms.browseSelected(queue, selector, (session, browser) -> browser.getEnumeration().hasMoreElements()));
    }

    private record Run(int exit, String output) {
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bus");
        all.add(baseUrl());
        StringWriter out = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(out), all.toArray(String[]::new));
        return new Run(exit, out.toString());
    }
}

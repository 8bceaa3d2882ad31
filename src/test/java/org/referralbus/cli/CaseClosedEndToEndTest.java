package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.routing.OpenCases;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A provider reports an accepted case closed ({@code close ID}, {@code ack ID --closed}, both
 * {@code POST /api/v1/inbox/{id}/close}): its capacity is free at once, the sender's status shows CLOSED, the trail
 * holds a CLOSED event; only an accepted case can be closed.
 */
class CaseClosedEndToEndTest extends RunningBus {

    @TempDir
    Path work;

    @Autowired
    OpenCases openCases;

    @Test
    void closingAnAcceptedCaseFreesCapacityAtOnceAndTheSenderSeesClosed() throws Exception {
        String referralId = submit();
        String deliveryId = await().atMost(Duration.ofSeconds(30)).until(() -> deliveryFor(referralId), id -> id != null);
        assertThat(run("ack", deliveryId, "--accept").output()).contains(deliveryId + ": ACCEPTED");
        int openWhileAccepted = openCasesOfShelter();

        CommandRun closed = run("close", deliveryId);

        assertThat(closed.exit()).as(closed.output()).isZero();
        assertThat(closed.output()).contains(deliveryId + ": CLOSED");
        assertThat(openCasesOfShelter()).isEqualTo(openWhileAccepted - 1);
        CommandRun again = run("ack", deliveryId, "--closed");
        assertThat(again.exit()).as("a repeated close gets the same answer: " + again.output()).isZero();
        assertThat(run("close", deliveryId, "--as", "medical-dushanbe").output())
                .as("another provider's delivery does not exist for it").contains("(not_found)");

        CommandRun status = run("status", referralId);
        assertThat(status.output()).contains("referral " + referralId, "SHELTER: CLOSED at shelter-dushanbe");
        assertThat(run("audit", "story", referralId).output()).contains("CLOSED shelter-dushanbe");
    }

    @Test
    void onlyAnAcceptedCaseCanBeClosed() throws Exception {
        String referralId = submit();
        String deliveryId = await().atMost(Duration.ofSeconds(30)).until(() -> deliveryFor(referralId), id -> id != null);

        CommandRun early = run("close", deliveryId);

        assertThat(early.exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(early.output()).startsWith("error: The bus refused this (acknowledgement_conflict)").contains("only an accepted case");
    }

    /**
     * The inbox lists only deliveries waiting for a decision: a copy fetched after it was accepted (again, to a new
     * computer) got a summary without its referral, services, urgency and time, which replaced the whole one.
     */
    @Test
    void aCopyFetchedAfterItWasAcceptedStillNamesItsReferral() throws Exception {
        String referralId = submit();
        String deliveryId = await().atMost(Duration.ofSeconds(30)).until(() -> deliveryFor(referralId), id -> id != null);
        assertThat(run("ack", deliveryId, "--accept").exit()).isZero();

        CommandRun fetched = run("fetch", deliveryId, "--out", work.resolve("inbox").toString());

        assertThat(fetched.exit()).as(fetched.output()).isZero();
        assertThat(Files.readString(work.resolve("inbox").resolve(deliveryId + ".json")))
                .contains("\"referralId\" : \"" + referralId + "\"", "\"services\" : [ \"SHELTER\" ]", "\"urgency\" : \"URGENT\"",
                        "\"deliveredAt\" : \"20");
    }

    private String submit() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        Path file = Files.writeString(work.resolve(ReferralExamples.referralId(xml) + ".xml"), xml);
        CommandRun submitted = run("submit", file.toString());
        assertThat(submitted.exit()).as(submitted.output()).isZero();
        return ReferralExamples.referralId(xml);
    }

    private int openCasesOfShelter() {
        return openCases.perProviderSince(OffsetDateTime.now().minusDays(1), java.util.List.of("shelter-dushanbe")).getOrDefault("shelter-dushanbe", 0);
    }

    private String deliveryFor(String referralId) {
        Matcher m = Pattern.compile("(\\S+)  referral " + Pattern.quote(referralId)).matcher(run("inbox").output());
        return m.find() ? m.group(1) : null;
    }

    private CommandRun run(String... args) {
        return CommandRun.at(baseUrl(), args);
    }
}

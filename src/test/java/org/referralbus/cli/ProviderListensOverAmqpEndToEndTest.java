package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * {@code listen}: a QUEUE provider receives its copies over AMQP 1.0 from the broker's acceptor, opens and checks
 * each, writes ID.xml and ID.json, and only then settles the message; a copy it could not write stays on the queue.
 */
class ProviderListensOverAmqpEndToEndTest extends RunningBus {

    private static final String PROVIDER = "medical-dushanbe";

    @TempDir
    Path work;

    @Autowired
    JmsTemplate jms;

    @Test
    void aCopyIsWrittenThenSettledAndOneThatCannotBeWrittenStaysOnTheQueue() throws Exception {
        String referralId = submit();
        String deliveryId = await().atMost(Duration.ofSeconds(30)).until(() -> deliveryFor(referralId), id -> id != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> onQueue(referralId) == 1);

        Path notAFolder = Files.writeString(work.resolve("not-a-folder"), "x");
        CommandRun failed = listen(notAFolder.resolve("inbox"));
        assertThat(failed.exit()).as(failed.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(failed.output()).contains("Cannot write", "stays on the queue").doesNotContain("\tat ");
        await("not settled, so the broker kept it").atMost(Duration.ofSeconds(30)).until(() -> onQueue(referralId) == 1);

        Path inbox = work.resolve("inbox");
        CommandRun listened = listen(inbox);

        assertThat(listened.exit()).as(listened.output()).isZero();
        assertThat(listened.output()).contains(deliveryId + ": signed by the bus, written to");
        assertThat(Files.readString(inbox.resolve(deliveryId + ".xml"))).contains(referralId, "MEDICAL");
        assertThat(Files.readString(inbox.resolve(deliveryId + ".json")))
                .contains("\"referralId\" : \"" + referralId + "\"", "\"signedBy\" : \"referral-bus\"");
        assertThat(onQueue(referralId)).as("settled once written").isZero();
        try (var files = Files.list(inbox)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".part"));
        }
    }

    private CommandRun listen(Path out) {
        return CommandRun.offline("listen", "--as", PROVIDER, "--broker", "amqps://localhost:" + BROKER_PORT, "--out", out.toString(),
                "--idle-exit", "5");
    }

    private int onQueue(String referralId) {
        return jms.browseSelected("deliveries." + PROVIDER, "referralBusReferralId = '" + referralId + "'",
                (session, browser) -> Collections.list(browser.getEnumeration()).size());
    }

    private String submit() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        Path file = Files.writeString(work.resolve("referral.xml"), xml);
        CommandRun submitted = CommandRun.at(baseUrl(), "submit", file.toString());
        assertThat(submitted.exit()).as(submitted.output()).isZero();
        return ReferralExamples.referralId(xml);
    }

    private String deliveryFor(String referralId) {
        Matcher m = Pattern.compile("(\\S+)  referral " + Pattern.quote(referralId))
                .matcher(CommandRun.at(baseUrl(), "inbox", "--as", PROVIDER).output());
        return m.find() ? m.group(1) : null;
    }
}

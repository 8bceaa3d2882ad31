package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.referralbus.cli.BadLineBus.Answer;
import org.referralbus.cli.BadLineBus.Cut;
import org.referralbus.support.ReferralExamples;

/**
 * Ctrl-C in a real {@code submit} process (SIGINT, its shutdown hook run by the JVM, not called by the test): a clerk
 * who stopped a run while a referral was on its way was told nothing, took it for not sent, and faxed it. The
 * receipt already saved stays whole, nothing is left half-written, and no file is lost.
 */
class ClerkPressesCtrlCEndToEndTest extends StandInBusTest {

    @Test
    void ctrlCWhileAReferralIsOnItsWaySaysItMayHaveArrivedAndLeavesNothingHalfWritten() throws Exception {
        Path folder = Files.createDirectories(work.resolve("monday"));
        String first = referral(folder.resolve("a.xml"));
        String second = referral(folder.resolve("b.xml"));
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> before == 0
                ? Answer.json(201, "{\"referralId\":\"" + first + "\",\"status\":\"ROUTED\"}")
                : new Answer(201, "{\"referralId\":\"" + second + "\",\"status\":\"ROUTED\"}", 120_000)) // the answer never comes in time
                .signingReceipts();

        try (ClientProcess submit = ClientProcess.start(work.resolve("logs"), "submit", folder.toString(), "--bus", bus.address())) {
            await("the second referral sent, its answer awaited").atMost(Duration.ofSeconds(60))
                    .until(() -> bus.requests("POST", "/api/v1/referrals").size() == 2 || !submit.isAlive());
            assertThat(submit.isAlive()).as(submit.output()).isTrue();
            submit.interrupt();

            assertThat(submit.exitWithin(5)).as(submit.output()).isEqualTo(ClientProcess.ENDED_BY_CTRL_C);
            assertThat(submit.out()).contains("[1/2]", "a.xml: ROUTED " + first + ", receipt verified and saved")
                    .doesNotContain("[2/2]");
            assertThat(submit.err()).contains("Interrupted while referral " + second + " (" + folder.resolve("b.xml") + ") was being"
                    + " sent: it may or may not have arrived. Run the same command again (safe: a referral that arrived gets its"
                    + " receipt back, and is not delivered twice), or check with status " + second + ".")
                    .doesNotContain(first, "\tat ");
        }
        assertThat(names(folder)).containsExactlyInAnyOrder("a.xml", "b.xml", "a.receipt.json", "a.receipt.sig");
        assertThat(Files.readString(folder.resolve("a.receipt.json"))).contains(first);
    }

    @Test
    void ctrlCWithNothingOnItsWaySaysNothing() throws Exception {
        Path file = work.resolve("referral.xml");
        referral(file);
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null).answeringTheCertificateAfter(120_000);

        try (ClientProcess submit = ClientProcess.start(work.resolve("logs"), "submit", file.toString(), "--bus", bus.address())) {
            await("asking for the bus certificate, nothing sent yet").atMost(Duration.ofSeconds(60))
                    .until(() -> !bus.requests("GET", "/api/v1/bus/certificate").isEmpty() || !submit.isAlive());
            submit.interrupt();

            assertThat(submit.exitWithin(5)).as(submit.output()).isEqualTo(ClientProcess.ENDED_BY_CTRL_C);
            assertThat(submit.output()).doesNotContain("Interrupted", "may or may not have arrived", "\tat ");
        }
        assertThat(bus.requests("POST", "/api/v1/referrals")).isEmpty();
        assertThat(names(work)).containsExactlyInAnyOrder("referral.xml", "logs");
    }

    private static String referral(Path file) throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        Files.writeString(file, xml);
        return ReferralExamples.referralId(xml);
    }

    /** Every name in the folder, hidden ones too (a temporary {@code .NAME.<hex>.part} is hidden). */
    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}

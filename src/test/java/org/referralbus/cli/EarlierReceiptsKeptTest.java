package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.referralbus.cli.BadLineBus.Cut;
import org.referralbus.support.ReferralExamples;

/**
 * A saved receipt is the agency's only proof that the bus took a referral: a later file with the same name (a scanner's
 * {@code referral.xml}, the same name in two folders sent to one {@code --receipts}) must not replace it in silence.
 * Against a stand-in bus ({@link BadLineBus}) that would fail any submission: the checks come before anything is sent.
 */
class EarlierReceiptsKeptTest extends StandInBusTest {

    private static final String EARLIER = "{\"referralId\":\"0bf2b025-7a96-4750-b7d8-6f02c10cae64\",\"sender\":\"border-service\","
            + "\"status\":\"ROUTED\",\"receivedAt\":\"2026-12-05T11:59:38.186Z\",\"envelopeSha256\":\"df4b\"}";

    @Test
    void aReceiptOfAnotherReferralUnderTheSameNameIsKeptAndTheFileNotSent() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null);
        Path file = referral("referral.xml");
        Path earlier = Files.writeString(work.resolve("referral.receipt.json"), EARLIER);

        CommandRun submit = CommandRun.at(bus.address(), "submit", file.toString(), "--retry-delay", "10");

        assertThat(submit.exit()).as(submit.output()).isEqualTo(ClientCommands.REFUSED);
        assertThat(submit.output()).contains(earlier + " holds the receipt of referral 0bf2b025-7a96-4750-b7d8-6f02c10cae64",
                "nothing sent", "--receipts").doesNotContain("Exception");
        assertThat(bus.requests("POST", "/api/v1/referrals")).isEmpty();
        assertThat(Files.readString(earlier)).isEqualTo(EARLIER);
    }

    /** A signature whose receipt a clerk moved elsewhere is an earlier receipt too: it was replaced without a word. */
    @Test
    void anEarlierSignatureWhoseReceiptWasMovedAwayIsKeptAndTheFileNotSent() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null);
        Path file = referral("referral.xml");
        Path earlier = Files.writeString(work.resolve("referral.receipt.sig"), "an earlier referral's receipt signature");

        CommandRun submit = CommandRun.at(bus.address(), "submit", file.toString(), "--retry-delay", "10");

        assertThat(submit.exit()).as(submit.output()).isEqualTo(ClientCommands.REFUSED);
        assertThat(submit.output()).contains(earlier + " exists without its referral.receipt.json", "nothing sent",
                "--receipts").doesNotContain("Exception");
        assertThat(bus.requests("POST", "/api/v1/referrals")).isEmpty();
        assertThat(Files.readString(earlier)).isEqualTo("an earlier referral's receipt signature");
    }

    @Test
    void twoFilesWhoseReceiptsWouldShareANameAreRefusedBeforeAnythingIsSent() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null);
        Path monday = referral("monday/referral.xml");
        Path tuesday = referral("tuesday/referral.xml");
        Path receipts = work.resolve("receipts");

        CommandRun submit = CommandRun.at(bus.address(), "submit", monday.toString(), tuesday.toString(),
                "--receipts", receipts.toString(), "--retry-delay", "10");

        assertThat(submit.exit()).as(submit.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(submit.output()).contains(monday.toString(), tuesday.toString(), receipts.resolve("referral.receipt.json").toString(),
                "nothing was sent").doesNotContain("Exception");
        assertThat(bus.requests("POST", "/api/v1/referrals")).isEmpty();
    }

    private Path referral(String name) throws Exception {
        Path file = work.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));
    }
}

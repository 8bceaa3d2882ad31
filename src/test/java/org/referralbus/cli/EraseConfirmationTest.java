package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralbus.cli.BadLineBus.Answer;
import org.referralbus.cli.BadLineBus.Cut;
import picocli.CommandLine;

/**
 * {@code erase} on a terminal asks for the referral id to be typed back before anything is erased; {@code --yes} and a
 * run without a terminal (scripts, pipes) are not asked. Against a stand-in bus ({@link BadLineBus}) answering
 * {@code POST /api/v1/erasures} as the bus's erasure controller does, so that a test can tell whether it was called.
 */
class EraseConfirmationTest extends StandInBusTest {

    private static final String REFERRAL = "ref-2026-0042";
    private static final String QUESTION = "it cannot be undone";

    private final List<String> prompts = new ArrayList<>();

    @BeforeEach
    void standInBus() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> Answer.json(200,
                "{\"envelopeRemoved\":true,\"sealedCopies\":[\"d-1\",\"d-2\"],\"envelopeSha256\":\"9f2c\"}"));
    }

    @Test
    void theReferralIdTypedBackErases() {
        CommandRun run = erase(typing(" " + REFERRAL + " "));

        assertThat(run.exit()).as(run.output()).isEqualTo(ClientCommands.OK);
        assertThat(run.output()).contains("This erases the sealed envelope of referral " + REFERRAL + " from border-service",
                QUESTION, REFERRAL + " from border-service: envelope erased, 2 sealed copies erased");
        assertThat(prompts).singleElement().asString().contains("Type the referral id");
        assertThat(bus.requests("POST", "/api/v1/erasures")).hasSize(1);
    }

    @Test
    void anyOtherAnswerErasesNothingAndEndsWithItsOwnCode() {
        for (Terminal answer : List.of(typing("yes"), typing(""), typing(null))) {
            CommandRun run = erase(answer);

            assertThat(run.exit()).as(run.output()).isEqualTo(ClientCommands.NOT_CONFIRMED).isEqualTo(5);
            assertThat(run.output()).contains(QUESTION).endsWith("Nothing erased: what was typed is not the referral id "
                    + REFERRAL + "; run erase again and type the id exactly to erase it." + System.lineSeparator());
        }
        assertThat(bus.requests("POST", "/api/v1/erasures")).as("the bus was never asked").isEmpty();
    }

    @Test
    void yesSkipsTheQuestion() {
        CommandRun run = erase(prompt -> {
            throw new AssertionError("asked despite --yes: " + prompt);
        }, "--yes");

        assertThat(run.exit()).as(run.output()).isEqualTo(ClientCommands.OK);
        assertThat(run.output()).doesNotContain(QUESTION).contains("envelope erased");
        assertThat(bus.requests("POST", "/api/v1/erasures")).hasSize(1);
    }

    /** Scripts and the end-to-end tests run without a terminal: erase does as it did before it asked. */
    @Test
    void withoutATerminalNothingIsAsked() {
        CommandRun run = erase(null);
        CommandRun asTheJarRuns = CommandRun.at(bus.address(), "erase", "--sender", "border-service", REFERRAL, "--as",
                "coordinator", "--retry-delay", "10");

        for (CommandRun one : List.of(run, asTheJarRuns)) {
            assertThat(one.exit()).as(one.output()).isEqualTo(ClientCommands.OK);
            assertThat(one.output()).doesNotContain(QUESTION).startsWith(REFERRAL + " from border-service: envelope erased");
        }
        assertThat(bus.requests("POST", "/api/v1/erasures")).hasSize(2);
    }

    @Test
    void theHelpNamesTheQuestionAndItsExitCode() {
        assertThat(CommandRun.offline("erase", "--help").output()).contains("--yes", "type the referral id",
                "5 not confirmed at the terminal, nothing erased");
    }

    private Terminal typing(String line) {
        return prompt -> {
            prompts.add(prompt);
            return line;
        };
    }

    private CommandRun erase(Terminal terminal, String... more) {
        List<String> args = new ArrayList<>(List.of("--sender", "border-service", REFERRAL, "--as", "coordinator",
                "--bus", bus.address(), "--retry-delay", "10"));
        args.addAll(List.of(more));
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new EraseCommand(() -> terminal)).setOut(new PrintWriter(out)).execute(args.toArray(String[]::new));
        return new CommandRun(exit, out.toString());
    }
}

package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.referralbus.cli.BadLineBus.Answer;
import org.referralbus.cli.BadLineBus.Cut;

/**
 * {@code ack --decline} after {@code --accept} (or the reverse): the bus keeps the first answer and says
 * {@code acknowledgement_conflict}, which alone told a clerk nothing. Against a stand-in bus ({@link BadLineBus})
 * answering as the bus's {@code Acknowledgements} does.
 */
class AnswerGivenBeforeTest extends StandInBusTest {

    private static final String DELIVERY = "d-7";

    @Test
    void aDeclineAfterAnAcceptSaysItWasAcceptedAndWhoToTell() throws Exception {
        bus = conflictWith("ACCEPTED");

        CommandRun decline = CommandRun.at(bus.address(), "ack", DELIVERY, "--decline", "NO_CAPACITY", "--retry-delay", "10");

        assertThat(decline.exit()).as(decline.output()).isEqualTo(ClientCommands.REFUSED);
        assertThat(decline.output().strip()).startsWith("error: Delivery " + DELIVERY + " was already accepted by you"
                        + " (acknowledgement_conflict), so it cannot be declined now")
                .contains("nothing was changed", "tell the bus's coordinator and the agency that sent the referral")
                .doesNotContain("The bus refused this");
    }

    @Test
    void anAcceptAfterADeclineSaysItWasDeclinedAndWhoToTell() throws Exception {
        bus = conflictWith("DECLINED");

        CommandRun accept = CommandRun.at(bus.address(), "ack", DELIVERY, "--accept", "--retry-delay", "10");

        assertThat(accept.exit()).as(accept.output()).isEqualTo(ClientCommands.REFUSED);
        assertThat(accept.output().strip()).startsWith("error: Delivery " + DELIVERY + " was already declined by you"
                        + " (acknowledgement_conflict), so it cannot be accepted now")
                .contains("nothing was changed", "tell the bus's coordinator");
    }

    /** A conflict the command has no better words for keeps the bus's own (CaseClosedEndToEndTest relies on them). */
    @Test
    void anotherConflictKeepsTheBusesWords() throws Exception {
        bus = conflictWith("FETCHED: only an accepted case can be closed");

        CommandRun close = CommandRun.at(bus.address(), "close", DELIVERY, "--retry-delay", "10");

        assertThat(close.exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(close.output()).startsWith("error: The bus refused this (acknowledgement_conflict)").contains("only an accepted case");
    }

    private static BadLineBus conflictWith(String state) throws Exception {
        return new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> Answer.json(409, "{\"code\":\"acknowledgement_conflict\","
                + "\"status\":409,\"detail\":\"Delivery " + DELIVERY + " is " + (state.startsWith("FETCHED") ? "" : "already ") + state + "\"}"));
    }
}

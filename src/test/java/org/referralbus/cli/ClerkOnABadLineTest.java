package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.referralbus.cli.BadLineBus.Answer;
import org.referralbus.cli.BadLineBus.Cut;
import org.referralbus.support.ReferralExamples;

/**
 * What a clerk in an office with a bad line is told, against a stand-in bus whose answers the line loses, cuts or
 * delays ({@link BadLineBus}). The words matter: a referral reported "refused" or "not submitted" that had arrived was
 * faxed, or sent again under a new id, and two shelters took the same person in.
 */
class ClerkOnABadLineTest extends StandInBusTest {

    private static final String ID = "00000000-0000-0000-0000-000000000042";
    private static final String ROUTED = "{\"referralId\":\"" + ID + "\",\"state\":\"ROUTED\",\"receivedAt\":\"2026-12-05T06:00:00Z\",\"needs\":[]}";
    private static final String ACCEPTED = ROUTED.replace("ROUTED", "ACCEPTED");
    /** What Tomcat answers when the upload is too slow (the code is the bus's to choose: any 408 means nothing stored). */
    private static final String TIMED_OUT = "{\"type\":\"urn:referral-bus:problem:invalid_request\",\"status\":408,\"code\":\"invalid_request\"}";

    @Test
    void a408IsSentAgainAndThenSaidToBeATooSlowLineThatStoredNothing() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> Answer.json(408, TIMED_OUT));
        Path file = referral("referral.xml");

        CommandRun submit = CommandRun.at(bus.address(), "submit", file.toString(), "--retry-delay", "10");

        assertThat(submit.exit()).as(submit.output()).isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(bus.requests("POST", "/api/v1/referrals")).as("retried like a lost connection").hasSize(BusClient.ATTEMPTS);
        assertThat(submit.output()).contains("is too slow", "(HTTP 408, tried 4 times), so nothing was stored", "Run the same command again")
                .doesNotContain("refused", "invalid_request", "Exception");
    }

    @Test
    void aSendWhoseAnswerNeverCameMayHaveArrivedAndSaysHowToCheck() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null);
        Path file = referral("referral.xml");
        String id = ReferralExamples.referralId(Files.readString(file));

        CommandRun submit = CommandRun.at(bus.address(), "submit", file.toString(), "--retry-delay", "10");

        assertThat(submit.exit()).as(submit.output()).isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(bus.requests("POST", "/api/v1/referrals")).hasSize(BusClient.ATTEMPTS);
        assertThat(submit.output()).contains("Referral " + id + " was sent to the bus at " + bus.address(),
                        "no answer came back", "it may have arrived", "Run the same command again (safe", "status " + id)
                .doesNotContain("Cannot reach", "check the address", "not submitted");
    }

    @Test
    void aLostAnswerBeforeA408StillSaysTheReferralMayHaveArrived() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> before == 0 ? null : Answer.json(408, TIMED_OUT));
        Path file = referral("referral.xml");

        CommandRun submit = CommandRun.at(bus.address(), "submit", file.toString(), "--retry-delay", "10");

        assertThat(submit.output()).contains("it may have arrived").doesNotContain("nothing was stored");
    }

    @Test
    void aFolderWhoseFirstAnswerIsLostSaysNotConfirmedNeverNotSubmitted() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null);
        referral("batch/a.xml");
        referral("batch/b.xml");

        CommandRun submit = CommandRun.at(bus.address(), "submit", work.resolve("batch").toString(), "--retry-delay", "10");

        assertThat(submit.exit()).isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(submit.output()).contains("[1/2]", "a.xml: not confirmed (sent, but no answer came back: it may have arrived);"
                        + " 0 of 2 submitted before this", "status ")
                .doesNotContain(": not submitted", "Cannot reach");
    }

    @Test
    void aConnectionThatCannotBeOpenedIsStillCannotReach() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null);
        String address = bus.address();
        bus.close();
        bus = null;

        CommandRun submit = CommandRun.at(address, "submit", referral("referral.xml").toString(), "--retry-delay", "10");

        assertThat(submit.exit()).isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(submit.output()).contains("Cannot reach the bus at " + address + " (tried 4 times): check the address");
    }

    @Test
    void aLineCutInTheHandshakeIsRetriedFourTimesAndNotBlamedOnCertificates() throws Exception {
        bus = new BadLineBus(n -> true, Cut.RESET, (request, before) -> null);

        CommandRun submit = CommandRun.at(bus.address(), "submit", referral("referral.xml").toString(), "--retry-delay", "10");

        assertThat(submit.exit()).as(submit.output()).isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(bus.connections()).isGreaterThanOrEqualTo(BusClient.ATTEMPTS);
        assertThat(submit.output()).contains("(tried 4 times)", "the line broke during the TLS handshake", "nothing was sent")
                .doesNotContain("--ca", "certificate is from");
    }

    @Test
    void aHandshakeCutOnceIsRiddenOut() throws Exception {
        bus = new BadLineBus(n -> n == 1, Cut.CLOSE, (request, before) -> Answer.json(200, ROUTED));

        CommandRun status = CommandRun.at(bus.address(), "status", ID, "--retry-delay", "10");

        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("referral " + ID + ": ROUTED");
    }

    @Test
    void aServerCertificateNotFromYourCaIsStillBlamedOnCertificatesAtOnce() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> Answer.json(200, ROUTED));

        CommandRun status = CommandRun.at(bus.address(), "status", ID, "--ca", "keys-sample/bus/bus.crt", "--retry-delay", "10");

        assertThat(status.exit()).isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(status.output()).contains("The TLS handshake with " + bus.address() + " failed: check --ca");
        assertThat(bus.connections()).as("a certificate does not get better by asking again").isEqualTo(1);
    }

    @Test
    void noConnectionInTimeSaysTheLineMayBeTooSlowAndThatNothingWasSent() {
        SendAttempts attempts = new SendAttempts(java.net.URI.create("https://bus.example:8443"));
        for (int i = 0; i < BusClient.ATTEMPTS; i++) {
            attempts.failed(attempts.of(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out"), false));
        }

        ClientFailure failure = attempts.exhausted();

        assertThat(failure.exitCode()).isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(failure.mayHaveArrived()).isFalse();
        assertThat(failure.getMessage()).startsWith("Cannot reach the bus at https://bus.example:8443 (tried 4 times): no connection"
                + " within 30 s, so nothing was sent. The line may be too slow");
    }

    @Test
    void onlyACertificateCauseOrAlertIsBlamedOnCertificates() {
        SSLHandshakeException cut = new SSLHandshakeException("Remote host terminated the handshake");
        cut.initCause(new EOFException("SSL peer shut down incorrectly"));
        SSLHandshakeException reset = new SSLHandshakeException("Connection reset");
        reset.initCause(new SocketException("Connection reset"));
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertPathBuilderException("unable to find valid certification path to requested target"));
        SSLHandshakeException alert = new SSLHandshakeException("Received fatal alert: bad_certificate");
        SSLHandshakeException alertThenReset = new SSLHandshakeException("Received fatal alert: unknown_ca");
        alertThenReset.initCause(new SocketException("Connection reset"));

        assertThat(SendAttempts.tlsCutByTheLine(cut)).isTrue();
        assertThat(SendAttempts.tlsCutByTheLine(reset)).isTrue();
        assertThat(SendAttempts.tlsCutByTheLine(untrusted)).isFalse();
        assertThat(SendAttempts.tlsCutByTheLine(alert)).isFalse();
        assertThat(SendAttempts.tlsCutByTheLine(alertThenReset)).isFalse();
        assertThat(SendAttempts.tlsCutByTheLine(new SSLHandshakeException("Received fatal alert: protocol_version"))).isFalse();
    }

    /** {@code --bus https://vm:8443} for a bus whose certificate names {@code localhost}: no CA is at fault. */
    @Test
    void anAddressTheBusCertificateDoesNotNameIsSaidAsSuchNotBlamedOnTheCa() {
        SSLHandshakeException otherName = new SSLHandshakeException("No subject alternative DNS name matching vm found.");
        otherName.initCause(new java.security.cert.CertificateException("No subject alternative DNS name matching vm found."));
        SendAttempts attempts = new SendAttempts(java.net.URI.create("https://vm:8443"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> attempts.of(otherName, false))
                .isInstanceOfSatisfying(ClientFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ClientCommands.UNREACHABLE);
                    assertThat(failure.getMessage()).contains("https://vm:8443", "does not name \"vm\"", "--bus")
                            .doesNotContain("check --ca");
                });
    }

    @Test
    void statusWatchRidesOutALineCutAndSaysSoOnce() throws Exception {
        java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
        bus = new BadLineBus(n -> n >= 2 && n <= 1 + 2 * BusClient.ATTEMPTS, Cut.CLOSE,
                (request, before) -> Answer.json(200, polls.incrementAndGet() == 1 ? ROUTED : ACCEPTED));

        CommandRun watch = CommandRun.at(bus.address(), "status", ID, "--watch", "--retry-delay", "10");

        assertThat(watch.exit()).as(watch.output()).isZero();
        assertThat(watch.output()).contains(": ROUTED", ": ACCEPTED", "still watching", "The bus answers again");
        assertThat(watch.output().split("still watching", -1)).as("said once per outage").hasSize(2);
    }

    @Test
    void aSlowAnswerIsAnnouncedOnceWhileTheClerkWaits() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> new Answer(200, ROUTED, 1_500));

        CommandRun status = CommandRun.at(bus.address(), "status", ID, "--wait-notice", "300");

        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).containsOnlyOnce("Waiting for the bus's answer").contains("up to 180 s");
    }

    /**
     * {@code --bus} given the broker's port: TLS completes (the broker takes the same certificates), then nothing. A clerk
     * waited 4 times 3 minutes, told only "a slow line?"; now told within seconds, with the default waits, what it is.
     */
    @Test
    void anAddressThatAnswersTlsButNotHttpIsSaidWithinSecondsToBeTheWrongPort() throws Exception {
        bus = BadLineBus.silentAfterTls();
        long started = System.nanoTime();

        CommandRun status = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(40),
                () -> CommandRun.at(bus.address(), "status", ID, "--retry-delay", "10"));

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(30));
        assertThat(status.exit()).as(status.output()).isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(status.output().strip()).isEqualTo("error: The address " + bus.address() + " (--bus, or bus= in the profile)"
                + " answered TLS but not HTTP: it is probably the message broker's port (the one listen and --over amqp use), not"
                + " the bus's HTTPS port (8443 unless your operator chose another). Give --bus the bus's address as your operator"
                + " wrote it, e.g. https://localhost:8443; nothing reached the bus.");
        assertThat(bus.connections()).as("the request, the question whether HTTP is spoken, the broker's greeting; no retries")
                .isEqualTo(3);
    }

    /**
     * A bus so busy that the question whether it speaks HTTP waited too was said to be "probably the broker's port"
     * (exit 3), and the clerk went looking for another address: silence is no evidence, so it is waited for, and said.
     */
    @Test
    void aBusTooBusyToAnswerTheQuestionEitherIsWaitedForNotCalledTheBrokersPort() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> new Answer(200, ROUTED, 2_500))
                .answeringTheCertificateAfter(2_500);

        CommandRun status = CommandRun.at(bus.address(), "status", ID, "--first-answer-wait", "300", "--retry-delay", "10");

        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("referral " + ID + ": ROUTED").containsOnlyOnce("Waiting for the bus's answer")
                .doesNotContain("broker", "answered TLS but not HTTP");
        assertThat(bus.requests("GET", "/api/v1/bus/certificate")).as("asked whether it speaks HTTP, silent").hasSize(1);
        assertThat(bus.requests("GET", "/api/v1/referrals/")).as("the first try waited for, not abandoned").hasSize(1);
    }

    /** A bus slow to give its first answer begins to answer the question on a connection of its own: it is waited for. */
    @Test
    void aSlowFirstAnswerFromAnAddressThatSpeaksHttpIsWaitedFor() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> new Answer(200, ROUTED, 2_000));

        CommandRun status = CommandRun.at(bus.address(), "status", ID, "--first-answer-wait", "200", "--retry-delay", "10");

        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("referral " + ID + ": ROUTED");
        assertThat(bus.requests("GET", "/api/v1/bus/certificate")).as("asked whether it speaks HTTP").hasSize(1);
        assertThat(bus.requests("GET", "/api/v1/referrals/")).as("the first try waited for").hasSize(1);
    }

    /** Once the bus has answered HTTP in a command (submit's certificate), a slow answer is a slow line, as before. */
    @Test
    void aBusThatHasAnsweredOnceIsNotAskedAgainWhenItIsSlow() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> new Answer(408, TIMED_OUT, 2_500));

        // each 408 takes longer than the first answer may; the certificate, answered at once, within it even on a busy machine
        CommandRun submit = CommandRun.at(bus.address(), "submit", referral("referral.xml").toString(), "--first-answer-wait", "1500",
                "--retry-delay", "10");

        assertThat(submit.output()).contains("(HTTP 408, tried 4 times)");
        assertThat(bus.requests("POST", "/api/v1/referrals")).hasSize(BusClient.ATTEMPTS);
        assertThat(bus.requests("GET", "/api/v1/bus/certificate")).as("submit's own request only").hasSize(1);
    }

    @Test
    void aDuplicateConflictSaysFirstThatTheReferralArrivedAndNeverAsksForANewId() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> Answer.json(409,
                "{\"code\":\"duplicate_conflict\",\"status\":409,\"detail\":\"referralId x already received with other content\"}"));
        Path file = referral("referral.xml");
        String id = ReferralExamples.referralId(Files.readString(file));

        CommandRun submit = CommandRun.at(bus.address(), "submit", file.toString());

        assertThat(submit.exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(submit.output()).startsWith(file + ": referral " + id + " arrived earlier (duplicate_conflict): the bus holds it")
                .contains("nothing more is needed: check it with status " + id, "header/supersedes",
                        "Only a different person gets a new referralId")
                .doesNotContain("Give this referral a new referralId", "refused");
    }

    @Test
    void aConflictWithAnUnfinishedReferralAsksForTheFirstFile() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> Answer.json(409, "{\"code\":\"duplicate_conflict\","
                + "\"status\":409,\"detail\":\"A referral with referralId x from your agency arrived earlier but is not finished: …\"}"));
        Path file = referral("referral.xml");
        String id = ReferralExamples.referralId(Files.readString(file));

        CommandRun submit = CommandRun.at(bus.address(), "submit", file.toString());

        assertThat(submit.exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(submit.output()).startsWith(file + ": referral " + id + " arrived earlier but is not finished (duplicate_conflict)")
                .contains("Send again the very file you sent first", "ask the bus's operator")
                .doesNotContain("nothing more is needed", "gave its receipt then");
    }

    @Test
    void statusOfAReferralTheBusDoesNotHoldSaysItHasNotArrived() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> Answer.json(404,
                "{\"code\":\"not_found\",\"status\":404,\"detail\":\"No such referral from your agency\"}"));

        CommandRun status = CommandRun.at(bus.address(), "status", ID);

        assertThat(status.exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(status.output().strip()).isEqualTo("error: The bus has no referral " + ID + " from your agency (not_found): it has"
                + " not arrived, or the id is mistyped; send it (again) with submit.");
    }

    @Test
    void anInterruptedSubmissionSaysItMayHaveArrivedOnlyWhileOneIsOnItsWay() {
        StringWriter said = new StringWriter();
        InterruptedSubmission interrupted = new InterruptedSubmission(new PrintWriter(said));

        interrupted.say();
        assertThat(said.toString()).as("nothing on its way: nothing to say").isEmpty();

        interrupted.sending(ID, "referral.xml");
        interrupted.say();
        assertThat(said.toString()).contains("Interrupted while referral " + ID + " (referral.xml) was being sent",
                "it may or may not have arrived", "Run the same command again (safe", "status " + ID);

        interrupted.answered();
        said.getBuffer().setLength(0);
        interrupted.say();
        assertThat(said.toString()).isEmpty();
    }

    private Path referral(String name) throws Exception {
        Path file = work.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));
    }
}

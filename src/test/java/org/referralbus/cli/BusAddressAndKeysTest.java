package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.referralbus.support.SampleKeys;

/** The client's own checks and words: an address it can use, a key that goes with the certificate, what a refusal asks. */
class BusAddressAndKeysTest {

    @Test
    void onlyAnHttpsAddressWithAHostIsTaken() {
        assertThat(BusClient.address("https://bus.nrm.tj:8443/").toString()).isEqualTo("https://bus.nrm.tj:8443");
        for (String wrong : new String[] {"localhost:8443", "http://localhost:8443", "https://", "bus nrm"}) {
            assertThatThrownBy(() -> BusClient.address(wrong)).as(wrong).isInstanceOfSatisfying(ClientFailure.class, failure -> {
                assertThat(failure.exitCode()).isEqualTo(ClientCommands.CANNOT_RUN);
                assertThat(failure.getMessage()).contains("'" + wrong + "'", "https://host:8443");
            });
        }
    }

    @Test
    void anEndpointGivenAsTheBusAddressIsRefusedWithTheAddressToGive() {
        assertThatThrownBy(() -> BusClient.address("https://bus.nrm.tj:8443/api/v1/referrals"))
                .isInstanceOfSatisfying(ClientFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ClientCommands.CANNOT_RUN);
                    assertThat(failure.getMessage()).contains("names an endpoint", "as https://bus.nrm.tj:8443.");
                });
        assertThatThrownBy(() -> BusClient.address("https://nrm.gov.tj/bus/api/v1/inbox"))
                .hasMessageContaining("as https://nrm.gov.tj/bus.");
        // behind a proxy under a path of its own, the address keeps it
        assertThat(BusClient.address("https://nrm.gov.tj/bus/").toString()).isEqualTo("https://nrm.gov.tj/bus");
    }

    @Test
    void aNotFoundSaysWhatToDoOnceAndFitsWhatWasLookedFor() {
        assertThat(BusClient.hint("not_found", "No such referral from your agency")).contains("you only see your own referrals");
        // the coordinator erases any agency's referral: "your own" would be wrong, the bus's detail says what to check
        assertThat(BusClient.hint("not_found", "No referral 42 from border-service: check the sender's participant id and its referral id"))
                .isEqualTo(".");
        assertThat(BusClient.hint("not_found", "No dead letter has this id")).isEqualTo(". Check the id with admin dead-letters list.");
        assertThat(BusClient.hint("not_found", "This delivery's sealed copy is no longer kept (retention or erasure): ask the coordinator"))
                .isEqualTo(".");
    }

    @Test
    void aCertificateOutOfItsTimeIsSaidBeforeConnectingWithItsDate() {
        var border = SampleKeys.certificateOf("agencies", "border-service");
        java.nio.file.Path file = java.nio.file.Path.of("keys/border-service.crt");

        BusClient.inItsTime(border, file, java.time.Clock.systemUTC());
        assertThatThrownBy(() -> BusClient.inItsTime(border, file,
                java.time.Clock.fixed(border.getNotAfter().toInstant().plusSeconds(1), java.time.ZoneOffset.UTC)))
                .isInstanceOf(ClientFailure.class)
                .hasMessage("Your certificate keys/border-service.crt expired on " + border.getNotAfter().toInstant()
                        + ": ask the bus's operator for a new one (participant add); nothing was sent.")
                .satisfies(e -> assertThat(((ClientFailure) e).exitCode()).isEqualTo(ClientCommands.CANNOT_RUN));
        assertThatThrownBy(() -> BusClient.inItsTime(border, file,
                java.time.Clock.fixed(border.getNotBefore().toInstant().minusSeconds(1), java.time.ZoneOffset.UTC)))
                .hasMessageContaining("check this computer's clock");
    }

    @Test
    void aSchemaRefusalSaysWhatTheSchemaFoundAndAConflictWhatToDo() throws Exception {
        var problem = tools.jackson.databind.json.JsonMapper.builder().build().readTree("{\"violations\":["
                + "{\"line\":12,\"column\":7,\"message\":\"cvc-complex-type.2.4.b: person is not complete\"},"
                + "{\"line\":-1,\"column\":-1,\"message\":\"person/birthDate is after header/createdAt\"}]}");

        assertThat(BusClient.violations(problem.path("violations")))
                .isEqualTo(" (line 12:7: cvc-complex-type.2.4.b: person is not complete; person/birthDate is after header/createdAt)");
        assertThat(BusClient.violations(problem.path("nothing"))).isEmpty();
        assertThat(BusClient.hint("duplicate_conflict", "")).contains("arrived earlier", "header/supersedes")
                .doesNotContain("Give this referral a new referralId");
    }

    @Test
    void aKeyGoesOnlyWithItsOwnCertificate() {
        var shelter = SampleKeys.certificateOf("providers", "shelter-dushanbe");

        assertThat(KeyPairs.belongTogether(shelter, SampleKeys.privateKey("providers", "shelter-dushanbe"))).isTrue();
        assertThat(KeyPairs.belongTogether(shelter, SampleKeys.privateKey("providers", "medical-dushanbe")))
                .as("another key of the same type").isFalse();
        assertThat(KeyPairs.belongTogether(SampleKeys.busCertificate(), SampleKeys.privateKey("agencies", "border-service"))).isFalse();
    }

    @Test
    void aFileWithNoPrivateKeyGivenAsTheKeyIsNotSaidToBeUnderAPassword(@org.junit.jupiter.api.io.TempDir java.nio.file.Path work)
            throws Exception {
        // the certificate given twice (--key border-service.crt), as a clerk does who was told to "give the key file"
        CommandRun swapped = CommandRun.offline("inbox", "--cert", "keys-sample/agencies/border-service.crt",
                "--key", "keys-sample/agencies/border-service.crt", "--bus", "https://localhost:1");
        assertThat(swapped.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(swapped.output()).contains("keys-sample/agencies/border-service.crt given as your private key holds a certificate",
                "--key").doesNotContain("password", "openssl pkey", "Exception");

        java.nio.file.Path empty = java.nio.file.Files.createFile(work.resolve("empty.key"));
        CommandRun nothing = CommandRun.offline("inbox", "--cert", "keys-sample/agencies/border-service.crt",
                "--key", empty.toString(), "--bus", "https://localhost:1");
        assertThat(nothing.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(nothing.output()).contains(empty + " given as your private key holds no private key")
                .doesNotContain("password", "Exception");
    }

    @Test
    void aFolderGivenForAKeyFileIsSaidToBeAFolder() {
        CommandRun folder = CommandRun.offline("inbox", "--cert", "keys-sample/agencies/border-service.crt",
                "--key", "keys-sample/agencies", "--bus", "https://localhost:1");

        assertThat(folder.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(folder.output()).contains("keys-sample/agencies given to --key is a folder").doesNotContain("does not exist");

        CommandRun empty = CommandRun.offline("inbox", "--cert", "", "--bus", "https://localhost:1");
        assertThat(empty.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(empty.output()).contains("--cert was given an empty name").doesNotContain("is a folder");
    }

    /** "Envelope exceeds 5242880 bytes" alone: a clerk knows no envelope, and was not told what to do. */
    @Test
    void aTooLargeReferralSaysWhatToCheck() {
        assertThat(BusClient.hint("payload_too_large", "Envelope exceeds 5242880 bytes"))
                .contains("too large", "one referral", "nothing was stored");
    }
}

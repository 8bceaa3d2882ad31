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
    void aNotFoundSaysWhatToDoOnceAndFitsWhatWasLookedFor() {
        assertThat(BusClient.hint("not_found", "No referral 42 from border-service")).contains("you only see your own referrals");
        assertThat(BusClient.hint("not_found", "No dead letter has this id")).isEqualTo(". Check the id with admin dead-letters list.");
        assertThat(BusClient.hint("not_found", "This delivery's sealed copy is no longer kept (retention or erasure): ask the coordinator"))
                .isEqualTo(".");
    }

    @Test
    void aKeyGoesOnlyWithItsOwnCertificate() {
        var shelter = SampleKeys.certificateOf("providers", "shelter-dushanbe");

        assertThat(KeyPairs.belongTogether(shelter, SampleKeys.privateKey("providers", "shelter-dushanbe"))).isTrue();
        assertThat(KeyPairs.belongTogether(shelter, SampleKeys.privateKey("providers", "medical-dushanbe")))
                .as("another key of the same type").isFalse();
        assertThat(KeyPairs.belongTogether(SampleKeys.busCertificate(), SampleKeys.privateKey("agencies", "border-service"))).isFalse();
    }
}

package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The summary shows where the database is, never who logs in to it or with what. */
class StartupSummaryTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://bus:S3cret@db.internal:5432/referralbus?sslmode=require&password=S3cret | jdbc:postgresql://db.internal:5432/referralbus",
            "jdbc:h2:file:/var/lib/referral-bus/db/referral-bus;WRITE_DELAY=0;PASSWORD=S3cret | jdbc:h2:file:/var/lib/referral-bus/db/referral-bus",
            "tcp://admin:S3cret@broker:61616?user=admin&password=S3cret | tcp://broker:61616"})
    void theDatabaseAndBrokerAddressesLoseTheirCredentials(String url, String shown) {
        assertThat(StartupSummary.withoutCredentials(url)).isEqualTo(shown).doesNotContain("S3cret");
    }

    @Test
    void theActiveProfilesAreNamedAndNoneReadsAsDefault() {
        assertThat(StartupSummary.profiles(new String[] {"prod"})).isEqualTo("prod");
        assertThat(StartupSummary.profiles(new String[] {"prod", "metrics"})).isEqualTo("prod,metrics");
        assertThat(StartupSummary.profiles(new String[0])).isEqualTo("default");
    }
}

package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class StartupFailureAnalyzerTest {

    @Test
    void aPostgresDatabaseThatIsNotThereIsAnsweredWithWhatToCreateNotWithTheEmbeddedDatabase() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://127.0.0.1:5432/referralbus?password=x");

        FailureAnalysis analysis = new StartupFailureAnalyzer(environment).analyze(
                new IllegalStateException("start", new SQLException("FATAL: role \"referralbus\" does not exist")));

        assertThat(analysis.getDescription()).isEqualTo("referral-bus cannot start: Cannot open the database"
                + " jdbc:postgresql://127.0.0.1:5432/referralbus: FATAL: role \"referralbus\" does not exist");
        assertThat(analysis.getAction()).contains("the role and the database exist", "createuser", "createdb")
                .doesNotContain("embedded");
    }

    @Test
    void anEmbeddedDatabaseHeldByAnotherProcessIsStillExplained() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:h2:file:/var/lib/referral-bus/db/referral-bus;WRITE_DELAY=500");

        FailureAnalysis analysis = new StartupFailureAnalyzer(environment).analyze(new SQLException("Database may be already in use"));

        assertThat(analysis.getAction()).contains("The embedded database opens in one process at a time");
    }
}

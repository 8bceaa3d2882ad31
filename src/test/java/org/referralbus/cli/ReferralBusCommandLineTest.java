package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The command line against a configured data directory, without the web server or the broker. */
class ReferralBusCommandLineTest {

    @TempDir
    Path dataDir;

    @Test
    void auditVerifyExitsZeroWhenIntactAndOneAtTheFirstBrokenLink() {
        Run created = run("auditor", "create", "donor-auditor", "--referral-bus.data-dir=" + dataDir);
        assertThat(created.exit()).as(created.output()).isZero();
        assertThat(created.output()).containsPattern("totp secret: [A-Z2-7]{32}")
                .contains("otpauth://totp/Referral%20Bus:donor-auditor?secret=");

        Run intact = run("audit", "verify", "--referral-bus.data-dir=" + dataDir);
        assertThat(intact.exit()).as(intact.output()).isZero();
        assertThat(intact.output()).contains("events checked: 1", "intact");

        SingleConnectionDataSource db = new SingleConnectionDataSource(
                "jdbc:h2:file:" + dataDir + "/db/referral-bus;DB_CLOSE_ON_EXIT=FALSE", "sa", "", true);
        new JdbcTemplate(db).update("UPDATE audit_event SET actor = 'someone-else' WHERE seq = 1");
        db.destroy();

        Run broken = run("audit", "verify", "--referral-bus.data-dir=" + dataDir);
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.output()).contains("events checked: 1", "BROKEN at seq 1: edited row");
    }

    @Test
    void unknownDatabaseIsExitTwoNotIntact() {
        Run result = run("audit", "verify", "--spring.datasource.url=jdbc:nothing:here");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).startsWith("error:");
    }

    @Test
    void onlyKnownSubcommandsAreDispatchedAwayFromTheBus() {
        assertThat(ReferralBusCommandLine.handles(new String[] {"audit", "verify"})).isTrue();
        assertThat(ReferralBusCommandLine.handles(new String[] {"--server.port=8443"})).isFalse();
        assertThat(ReferralBusCommandLine.handles(new String[0])).isFalse();
    }

    private record Run(int exit, String output) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(out), args);
        return new Run(exit, out.toString());
    }
}

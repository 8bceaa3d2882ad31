package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.core.ReferralBusException;

/** An auditor who lost the password or the phone gets new factors; the old ones stop working at once. */
class AuditorResetTest {

    private static final TotpSecrets SECRETS = TotpSecretsTest.SECRETS;

    @TempDir
    Path dataDir;

    @Test
    void aResetGivesNewFactorsRetiresTheOldOnesAndIsAudited() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            AuditorAccounts accounts = new AuditorAccounts(db.jdbc, db.trail, Clock.systemUTC(), SECRETS);
            AuditorAccounts.Created first = accounts.create("donor-auditor", "the first long password", "admin:ops");

            AuditorAccounts.Created reset = accounts.reset("donor-auditor", "the second long password", "admin:ops");

            assertThat(reset.totpSecret()).isNotEqualTo(first.totpSecret());
            assertThat(accounts.authenticate("donor-auditor", "the first long password", code(reset.totpSecret())))
                    .isEqualTo(AuditorAccounts.Outcome.REFUSED);
            assertThat(accounts.authenticate("donor-auditor", "the second long password", code(first.totpSecret())))
                    .isEqualTo(AuditorAccounts.Outcome.REFUSED);
            assertThat(accounts.authenticate("donor-auditor", "the second long password", code(reset.totpSecret())))
                    .isEqualTo(AuditorAccounts.Outcome.SIGNED_IN);
            assertThat(db.jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'CONFIGURATION_CHANGED' "
                    + "AND counterpart = 'donor-auditor' ORDER BY seq", String.class))
                    .containsExactly("auditor-account-created", "auditor-account-reset");
        }
    }

    @Test
    void aNameThatIsNoAccountIsRefusedAndCreatesNothing() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            AuditorAccounts accounts = new AuditorAccounts(db.jdbc, db.trail, Clock.systemUTC(), SECRETS);

            assertThatThrownBy(() -> accounts.reset("no-such-auditor", "a long enough password", "admin:ops"))
                    .isInstanceOf(ReferralBusException.class).hasMessageStartingWith("There is no auditor no-such-auditor");
            assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM auditor_account", Integer.class)).isZero();
        }
    }

    private static String code(String secret) {
        return Totp.code(secret, Totp.step(Instant.now().getEpochSecond()));
    }
}

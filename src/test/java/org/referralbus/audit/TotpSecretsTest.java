package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.StartupRefusal;

/** TOTP secrets at rest: encrypted under a key outside the database, bound to their account; old rows migrate. */
class TotpSecretsTest {

    private static final String KEY = "base64:" + Base64.getEncoder().encodeToString(
            "a 32-byte key, not the sample!!!".getBytes(StandardCharsets.UTF_8));
    /** A key of the right length that is not the sample's, for the tests of accounts. */
    static final TotpSecrets SECRETS = TotpSecrets.load(new TotpEncryptionProperties(KEY), true);

    @TempDir
    Path dataDir;

    @Test
    void secretsAreStoredEncryptedAndSignInStillWorks() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            AuditorAccounts accounts = new AuditorAccounts(db.jdbc, db.trail, Clock.systemUTC(), SECRETS);
            AuditorAccounts.Created created = accounts.create("donor-auditor", "a long enough password", "test-admin");

            String stored = db.jdbc.queryForObject("SELECT totp_secret FROM auditor_account WHERE username = 'donor-auditor'", String.class);
            assertThat(stored).startsWith("v1:").doesNotContain(created.totpSecret());
            assertThat(accounts.authenticate("donor-auditor", "a long enough password", code(created.totpSecret())))
                    .isEqualTo(AuditorAccounts.Outcome.SIGNED_IN);
        }
    }

    @Test
    void plaintextSecretsOfEarlierVersionsAreEncryptedAtStartAndKeepWorking() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            new AuditorAccounts(db.jdbc, db.trail, Clock.systemUTC(), SECRETS).create("donor-auditor", "a long enough password", "admin");
            String legacy = Totp.newSecret();
            db.jdbc.update("UPDATE auditor_account SET totp_secret = ? WHERE username = 'donor-auditor'", legacy);

            AuditorAccounts restarted = new AuditorAccounts(db.jdbc, db.trail, Clock.systemUTC(), SECRETS);

            assertThat(db.jdbc.queryForObject("SELECT totp_secret FROM auditor_account", String.class)).startsWith("v1:");
            assertThat(restarted.encryptPlaintextSecrets()).isZero();
            assertThat(restarted.authenticate("donor-auditor", "a long enough password", code(legacy)))
                    .isEqualTo(AuditorAccounts.Outcome.SIGNED_IN);
        }
    }

    @Test
    void aSecretDoesNotOpenUnderAnotherKeyNorForAnotherAccount() {
        String sealed = SECRETS.seal("donor-auditor", "JBSWY3DPEHPK3PXP");
        TotpSecrets sample = TotpSecrets.load(new TotpEncryptionProperties(TotpSecrets.SAMPLE_KEY), false);

        assertThat(SECRETS.open("donor-auditor", sealed)).isEqualTo("JBSWY3DPEHPK3PXP");
        assertThatThrownBy(() -> sample.open("donor-auditor", sealed)).isInstanceOf(ReferralBusException.class);
        assertThatThrownBy(() -> SECRETS.open("other-auditor", sealed)).isInstanceOf(ReferralBusException.class);
        assertThat(SECRETS.seal("donor-auditor", "JBSWY3DPEHPK3PXP")).as("fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void prodRefusesTheSampleKeyAndEveryProfileAKeyOfTheWrongLength() {
        assertThatThrownBy(() -> TotpSecrets.load(new TotpEncryptionProperties(TotpSecrets.SAMPLE_KEY), true))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("Refusing to start in the prod profile with sample keys")
                .hasMessageNotContaining(TotpSecrets.SAMPLE_KEY.substring(7));
        assertThatThrownBy(() -> TotpSecrets.load(new TotpEncryptionProperties("base64:c2hvcnQ="), false))
                .isInstanceOf(StartupRefusal.class).hasMessageContaining("exactly 32 bytes");
    }

    private static String code(String secret) {
        return Totp.code(secret, Totp.step(Instant.now().getEpochSecond()));
    }
}

package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.SampleKeys;
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
        Run typo = run("auditor", "reset", "donor-auditr", "--referral-bus.data-dir=" + dataDir);
        assertThat(typo.exit()).isNotZero();
        assertThat(typo.output()).contains("There is no auditor donor-auditr").doesNotContain("Exception", "\tat ");

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
    void auditVerifyOnADatabaseWithoutATrailSaysNoTrailAndCreatesNoTable() throws Exception {
        Run missing = run("audit", "verify", "--referral-bus.data-dir=" + dataDir);

        assertThat(missing.exit()).as(missing.output()).isEqualTo(1);
        assertThat(missing.output()).startsWith("no trail: there is no database at " + dataDir.resolve("db/referral-bus.mv.db"))
                .doesNotContain("intact");
        assertThat(dataDir.resolve("db")).as("no empty database made where the bus's was expected").doesNotExist();

        // a database that exists but holds no trail
        SingleConnectionDataSource empty = new SingleConnectionDataSource(
                "jdbc:h2:file:" + dataDir + "/db/referral-bus;DB_CLOSE_ON_EXIT=FALSE", "sa", "", true);
        new JdbcTemplate(empty).queryForObject("SELECT 1", Integer.class);
        empty.destroy();
        Run result = run("audit", "verify", "--referral-bus.data-dir=" + dataDir);

        assertThat(result.exit()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).startsWith("no trail: the database jdbc:h2:file:").doesNotContain("intact");
        SingleConnectionDataSource db = new SingleConnectionDataSource(
                "jdbc:h2:file:" + dataDir + "/db/referral-bus;DB_CLOSE_ON_EXIT=FALSE", "sa", "", true);
        assertThat(new JdbcTemplate(db).queryForObject(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'", Integer.class)).isZero();
        db.destroy();
    }

    /** The bus's own configuration, keystore included: the PEM certificate property is then not read at all. */
    @Test
    void auditVerifyTakesTheBusCertificateFromTheKeystore() throws Exception {
        assertThat(run("auditor", "create", "donor-auditor", "--referral-bus.data-dir=" + dataDir).exit()).isZero();
        Path keystore = dataDir.resolve("bus.p12");
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("bus", SampleKeys.privateKey("bus", "bus"), "keystore-secret".toCharArray(),
                new java.security.cert.Certificate[] {SampleKeys.busCertificate()});
        try (var out = java.nio.file.Files.newOutputStream(keystore)) {
            store.store(out, "keystore-secret".toCharArray());
        }

        Run withKeystore = run("audit", "verify", "--referral-bus.data-dir=" + dataDir,
                "--referral-bus.identity.certificate=" + dataDir.resolve("nowhere.crt"),
                "--referral-bus.identity.keystore=" + keystore, "--referral-bus.identity.keystore-password=keystore-secret");
        Run wrongPassword = run("audit", "verify", "--referral-bus.data-dir=" + dataDir,
                "--referral-bus.identity.keystore=" + keystore, "--referral-bus.identity.keystore-password=not-it");

        assertThat(withKeystore.exit()).as(withKeystore.output()).isZero();
        assertThat(withKeystore.output()).contains("intact");
        assertThat(wrongPassword.exit()).isEqualTo(2);
        assertThat(wrongPassword.output()).startsWith("error: Cannot read keystore").doesNotContain("not-it", "Exception")
                .hasLineCount(1);
    }

    @Test
    void aMissingKeyFileIsOneSentenceNamingTheFileTheHomeFolderAndWhatToDo() {
        Path home = dataDir.resolve("elsewhere");

        Run result = run("audit", "verify", "--referral-bus.data-dir=" + dataDir, "--referral-bus.home=" + home);

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).hasLineCount(1)
                .startsWith("error: File not found: " + home.resolve("keys-sample/bus/bus.crt"))
                .contains("referral-bus.home is " + home, "set referral-bus.home to the folder holding routes/")
                .doesNotContain("Exception");
    }

    @Test
    void unknownDatabaseIsExitTwoNotIntact() {
        Run result = run("audit", "verify", "--spring.datasource.url=jdbc:nothing:here");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).startsWith("error:");
    }

    @Test
    void commandsHelpAndUnknownWordsAreTheCommandLinesAndOnlyOptionsStartTheBus() {
        assertThat(ReferralBusCommandLine.handles(new String[] {"audit", "verify"})).isTrue();
        for (String command : List.of("close", "keys", "participant", "case", "frobnicate", "--help", "-h", "--version")) {
            assertThat(ReferralBusCommandLine.handles(new String[] {command, "--help"})).as(command).isTrue();
        }
        assertThat(ReferralBusCommandLine.handles(new String[] {"--as=ngo-hotline", "submit", "referral.xml"}))
                .as("an option before the command started a whole bus").isTrue();
        assertThat(ReferralBusCommandLine.handles(new String[] {"--server.port=8443"})).isFalse();
        assertThat(ReferralBusCommandLine.handles(new String[] {"--spring.profiles.active=prod", "--help"})).isFalse();
        assertThat(ReferralBusCommandLine.handles(new String[0])).isFalse();
    }

    @Test
    void everyCommandGroupExplainsItselfAndAnUnknownCommandIsNamed() {
        for (List<String> group : List.of(List.of("audit"), List.of("auditor"), List.of("database"), List.of("keys"),
                List.of("participant"), List.of("admin"), List.of("admin", "dead-letters"), List.of("case"))) {
            List<String> args = new java.util.ArrayList<>(group);
            args.add("--help");
            Run help = run(args.toArray(String[]::new));
            assertThat(help.exit()).as(group + ": " + help.output()).isZero();
            assertThat(help.output()).as(group.toString()).contains("Usage: referral-bus.jar " + String.join(" ", group));
        }
        Run unknown = run("frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.output()).contains("frobnicate", "there is no such command").doesNotContain("\tat ");

        // a command typed in capitals is the command (a clerk used to other tools types "Submit")
        Run capitals = run("Submit", "--help");
        assertThat(capitals.exit()).as(capitals.output()).isZero();
        assertThat(capitals.output()).contains("Usage: referral-bus.jar submit");

        // the same mistake one level down (case shwo): picocli's "Unmatched arguments from index 1" alone did not say it
        Run nested = run("case", "shwo", "c-1");
        assertThat(nested.exit()).isEqualTo(2);
        assertThat(nested.output().strip()).startsWith("error: ").contains("'shwo'", "there is no such command",
                "java -jar referral-bus.jar case --help lists its commands");
    }

    /** A mistake in the words typed is one line saying what and where to look, never the whole usage after it. */
    @Test
    void aUsageMistakeIsOneLineAndAnOptionBeforeTheCommandIsSentAfterIt() {
        Run before = run("--as=ngo-hotline", "submit", "referral.xml");
        assertThat(before.exit()).isEqualTo(2);
        assertThat(before.output().strip()).doesNotContain("\n").startsWith("error: Unknown option: '--as=ngo-hotline'")
                .contains("options go after the command");

        Run missing = run("ack", "d-1");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.output().strip()).doesNotContain("\n", "Usage:").startsWith("error: ")
                .endsWith("(java -jar referral-bus.jar ack --help lists its options)");
        assertThat(missing.output()).as("picocli's own \"Error: \" after ours").doesNotContain("error: Error:")
                .startsWith("error: Missing required argument");

        Run tooOften = run("status", "r-1", "--watch", "--interval", "0");
        assertThat(tooOften.exit()).isEqualTo(2);
        assertThat(tooOften.output().strip()).isEqualTo("error: --interval must be at least 5 seconds: each poll counts against"
                + " your rate limit (java -jar referral-bus.jar status --help lists its options)");

        Run lowerCase = run("ack", "d-1", "--decline", "no_capacity", "--bus", "https://localhost:1");
        assertThat(lowerCase.output()).as("the reason is read in any case, as over HTTPS and AMQP")
                .doesNotContain("Invalid value").contains("Cannot reach the bus");
    }

    @Test
    void aDatabaseInUseOrAMissingFileIsOneSentenceSayingWhatToDo() {
        String locked = ReferralBusCommandLine.explain(new org.springframework.jdbc.CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection", new java.sql.SQLException("Database may be already in use: \"/srv/db.mv.db\"."
                        + " Possible solutions: close all other connection(s); use the server mode [90020-240]\nmore")));
        String unreadable = ReferralBusCommandLine.explain(new IllegalStateException("wrapped",
                new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("/srv/keys-sample/ca.crt"))));

        assertThat(locked).startsWith("Cannot use the database: Database may be already in use").contains("stop the bus first")
                .doesNotContain("CannotGetJdbcConnectionException").doesNotContain("\n");
        assertThat(unreadable).startsWith("/srv/keys-sample/ca.crt: run the command from the folder holding routes/")
                .contains("--referral-bus.home=FOLDER");
        assertThat(ReferralBusCommandLine.explain(new java.io.UncheckedIOException("Cannot write the broker configuration to /srv/x",
                new java.io.IOException("Not a directory"))))
                .isEqualTo("Cannot write the broker configuration to /srv/x: check the path and that its folder may be written");
        assertThat(ReferralBusCommandLine.explain(new org.referralbus.core.ReferralBusException(
                org.referralbus.core.ErrorCode.INVALID_REQUEST, "Auditor oversight-board already exists")))
                .as("the bus's own sentence, without its class name").isEqualTo("Auditor oversight-board already exists");
    }

    @Test
    void brokerConfigRefusesABrokerCertificateItCannotRead() {
        java.nio.file.Path output = dataDir.resolve("broker-config");

        Run refused = run("broker-config", "--output", output.toString(), "--referral-bus.broker.certificate=/nope/broker-tls.crt");

        assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output()).contains("error: The broker's TLS file /nope/broker-tls.crt (referral-bus.broker.certificate) cannot be read")
                .doesNotContain("\tat ");
        assertThat(java.nio.file.Files.exists(output.resolve("broker.xml"))).as("nothing written").isFalse();
    }

    @Test
    void brokerConfigTakesTheBusCertificateFromTheKeystoreAsTheBusDoes() throws Exception {
        // The production recipe keeps the bus key only in PKCS#12 and sets no referral-bus.identity.certificate.
        java.nio.file.Path keystore = dataDir.resolve("bus.p12");
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("bus", org.referralbus.envelope.PemFiles.readPrivateKey(Path.of("keys-sample/admins/bus-admin.key")),
                "pw".toCharArray(), new java.security.cert.Certificate[] {
                        org.referralbus.envelope.PemFiles.readCertificate(Path.of("keys-sample/admins/bus-admin.crt"))});
        try (var out = java.nio.file.Files.newOutputStream(keystore)) {
            store.store(out, "pw".toCharArray());
        }
        java.nio.file.Path output = dataDir.resolve("broker-config");

        Run written = run("broker-config", "--output", output.toString(), "--referral-bus.identity.keystore=" + keystore,
                "--referral-bus.identity.keystore-password=pw", "--referral-bus.identity.certificate=/nope/bus.crt");

        assertThat(written.exit()).as(written.output()).isZero();
        assertThat(java.nio.file.Files.readString(output.resolve("cert-users.properties"))).contains("CN=bus-admin");
    }

    @Test
    void brokerConfigLeavesOutOfTheCertificateLoginsWhomTheConfiguredCrlsRevoke() throws Exception {
        // A standalone broker logs clients in by certificate subject and reads no CRL: a revoked agency (or QUEUE
        // provider, with copies still on its queue) would keep its login there while the embedded broker refuses it.
        java.nio.file.Path pki = java.nio.file.Files.createDirectories(dataDir.resolve("pki"));
        java.nio.file.Files.copy(Path.of("keys-sample/ca.crt"), pki.resolve("ca.crt"));
        java.nio.file.Files.copy(Path.of("keys-sample/ca.key"), pki.resolve("ca.key"));
        Run revoked = run("participant", "revoke", "border-service", "--pki", pki.toString(),
                "--certificate", "keys-sample/agencies/border-service.crt");
        assertThat(revoked.exit()).as(revoked.output()).isZero();
        java.nio.file.Path output = dataDir.resolve("broker-config");

        Run written = run("broker-config", "--output", output.toString(),
                "--referral-bus.identity.crl-files=" + pki.resolve("ca.crl"));

        assertThat(written.exit()).as(written.output()).isZero();
        assertThat(written.output()).contains("left out of cert-users.properties, revoked by referral-bus.identity.crl-files: border-service");
        String logins = java.nio.file.Files.readString(output.resolve("cert-users.properties"));
        assertThat(logins).doesNotContain("border-service=").contains("iom-mission=");
    }

    private record Run(int exit, String output) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(out), args);
        return new Run(exit, out.toString());
    }
}

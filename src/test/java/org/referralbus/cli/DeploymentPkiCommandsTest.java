package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.ParticipantIdentity;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.OpenSsl;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.TestPki;

/**
 * The admin's PKI commands: {@code keys init} writes a PKI OpenSSL reads and verifies; {@code participant add} issues
 * from a CSR made with OpenSSL; {@code participant revoke} updates the CRL the running bus reads, and the bus then
 * refuses the certificate.
 */
class DeploymentPkiCommandsTest extends RunningBus {

    @TempDir
    Path work;

    @Test
    void keysInitWritesAPkiThatOpenSslVerifiesAndParticipantAddIssuesFromAnOpenSslCsr() throws Exception {
        assumeTrue(OpenSsl.available(), "openssl is not installed");
        Path pki = work.resolve("keys");

        CommandRun init = CommandRun.offline("keys", "init", "--out", pki.toString(), "--organization", "Tajikistan NRM");

        assertThat(init.exit()).as(init.output()).isZero();
        assertThat(init.output()).contains("referral-bus.identity.crl-files=" + pki.resolve("ca.crl"),
                        "referral-bus.tls.certificate=" + pki.resolve("tls/server.crt"), "referral-bus.tls.private-key=" + pki.resolve("tls/server.key"))
                .as("the bus refuses Spring's own server bundle at start-up (StartupMistakesTest)").doesNotContain("spring.ssl")
                .as("prod reads the bus key from PKCS#12 only").contains("referral-bus.identity.keystore=" + pki.resolve("bus/bus.p12"),
                        "openssl pkcs12 -export -in " + pki.resolve("bus/bus.crt"));
        OpenSsl openssl = new OpenSsl(pki);
        assertThat(openssl.run("verify", "-CAfile", "ca.crt", "bus/bus.crt", "tls/server.crt").requireSuccess().output())
                .contains("bus/bus.crt: OK", "tls/server.crt: OK");
        openssl.run("pkey", "-in", "ca.key", "-noout").requireSuccess();
        openssl.run("pkey", "-in", "bus/bus.key", "-noout").requireSuccess();
        openssl.run("crl", "-in", "ca.crl", "-CAfile", "ca.crt", "-noout").requireSuccess();
        assertThat(openssl.run("x509", "-in", "tls/server.crt", "-noout", "-ext", "subjectAltName").output())
                .contains("DNS:localhost", "IP Address:127.0.0.1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("ca.key")))).isEqualTo("rw-------");
        assertThat(ParticipantIdentity.of(PemFiles.readCertificate(pki.resolve("bus/bus.crt"))))
                .isEqualTo(new ParticipantIdentity("referral-bus", ParticipantRole.BUS));

        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "shelter.key").requireSuccess();
        openssl.run("req", "-new", "-key", "shelter.key", "-subj", "/CN=whatever the requester wrote", "-out", "shelter.csr").requireSuccess();
        CommandRun add = CommandRun.offline("participant", "add", "shelter-khorog", "--role", "provider",
                "--csr", pki.resolve("shelter.csr").toString(), "--pki", pki.toString());

        assertThat(add.exit()).as(add.output()).isZero();
        assertThat(add.output()).contains("- id: shelter-khorog", "certificate: ", "providers/shelter-khorog.crt", "channel: INBOX");
        assertThat(openssl.run("verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "providers/shelter-khorog.crt")
                .requireSuccess().output()).contains("OK");
        X509Certificate issued = PemFiles.readCertificate(pki.resolve("providers/shelter-khorog.crt"));
        assertThat(ParticipantIdentity.of(issued)).isEqualTo(new ParticipantIdentity("shelter-khorog", ParticipantRole.PROVIDER));
        assertThat(issued.getSubjectX500Principal().getName()).contains("O=Tajikistan NRM").doesNotContain("whatever");
        assertThat(openssl.run("x509", "-in", "providers/shelter-khorog.crt", "-noout", "-pubkey").requireSuccess().output())
                .as("the certificate carries the requester's key").isEqualTo(openssl.run("pkey", "-in", "shelter.key", "-pubout").output());

        // the same id again: a renewal (same key, then a new key), said as such; never the same id in another role
        CommandRun renewed = CommandRun.offline("participant", "add", "shelter-khorog", "--role", "provider",
                "--csr", pki.resolve("shelter.csr").toString(), "--pki", pki.toString());
        assertThat(renewed.exit()).as(renewed.output()).isZero();
        assertThat(renewed.output()).contains("a renewal: shelter-khorog had a certificate from this CA (serial "
                + issued.getSerialNumber().toString(16), "the registry entry stays as it is", "same key:").doesNotContain("- id:");
        openssl.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "shelter2.key",
                "-subj", "/CN=shelter-khorog", "-out", "shelter2.csr").requireSuccess();
        CommandRun rekeyed = CommandRun.offline("participant", "add", "shelter-khorog", "--role", "provider",
                "--csr", pki.resolve("shelter2.csr").toString(), "--pki", pki.toString());
        assertThat(rekeyed.output()).contains("a renewal: ", "new key: the bus takes the new certificate");
        // the old certificate alone (its key may be lost): the renewal stays good
        Path first = work.resolve("first-shelter.crt");
        org.referralbus.support.TestPki.writePem(first, issued);
        CommandRun revokeOld = CommandRun.offline("participant", "revoke", "shelter-khorog", "--pki", pki.toString(),
                "--certificate", first.toString());
        assertThat(revokeOld.exit()).as(revokeOld.output()).isZero();
        assertThat(revokeOld.output()).as("the same-key renewal still lets the key in: said, not silently left")
                .contains("warning: its key still works: 1 other certificate(s) of shelter-khorog on the same key are not revoked");
        java.security.cert.X509CRL crl = (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCRL(Files.newInputStream(pki.resolve("ca.crl")));
        assertThat(crl.isRevoked(issued)).isTrue();
        assertThat(crl.isRevoked(PemFiles.readCertificate(pki.resolve("providers/shelter-khorog.crt")))).isFalse();
        CommandRun notTheirs = CommandRun.offline("participant", "revoke", "someone-else", "--pki", pki.toString(),
                "--certificate", first.toString());
        assertThat(notTheirs.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(notTheirs.output()).contains("names shelter-khorog, not someone-else");
        // Revoked again (by mistake, or to re-sign the CRL before it runs out): said as already revoked, not "revoked" anew.
        CommandRun oldAgain = CommandRun.offline("participant", "revoke", "shelter-khorog", "--pki", pki.toString(),
                "--certificate", first.toString());
        assertThat(oldAgain.exit()).as(oldAgain.output()).isZero();
        assertThat(oldAgain.output()).startsWith("this certificate of shelter-khorog was already revoked; nothing new revoked; CRL"
                + " updated (re-signed, valid until ").doesNotContain("revoked 1 certificate(s)");
        CommandRun all = CommandRun.offline("participant", "revoke", "shelter-khorog", "--pki", pki.toString());
        assertThat(all.exit()).as(all.output()).isZero();
        assertThat(all.output()).contains("revoked 2 certificate(s) of shelter-khorog; CRL updated: " + pki.resolve("ca.crl"),
                "1 other certificate(s) of shelter-khorog were already revoked.");
        CommandRun allAgain = CommandRun.offline("participant", "revoke", "shelter-khorog", "--pki", pki.toString());
        assertThat(allAgain.exit()).as(allAgain.output()).isZero();
        assertThat(allAgain.output().strip()).startsWith("shelter-khorog was already revoked: its 3 certificate(s) were in the CRL"
                + " before; nothing new revoked; CRL updated (re-signed, valid until ").endsWith("): " + pki.resolve("ca.crl"))
                .doesNotContain("revoked 3 certificate(s)", "the bus refuses them");

        CommandRun otherRole = CommandRun.offline("participant", "add", "shelter-khorog", "--role", "agency",
                "--csr", pki.resolve("shelter2.csr").toString(), "--pki", pki.toString());
        assertThat(otherRole.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(otherRole.output()).startsWith("error: \"shelter-khorog\" was issued a certificate as provider (serial ")
                .contains("one id has one role", "nothing was issued").hasLineCount(1);
        assertThat(pki.resolve("agencies/shelter-khorog.crt")).doesNotExist();
        assertThat(pki.resolve("issued")).isDirectoryContaining(f -> f.getFileName().toString().endsWith("-shelter-khorog.crt"));
        try (var files = Files.list(pki.resolve("issued"))) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith("-shelter-khorog.crt"))).hasSize(3);
        }

        CommandRun again = CommandRun.offline("keys", "init", "--out", pki.toString());
        assertThat(again.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(again.output()).startsWith("error: ").contains("exists already");
        // The subject changed after signing: the CSR's signature no longer covers it.
        String pem = Files.readString(pki.resolve("shelter.csr"));
        byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        String latin = new String(der, java.nio.charset.StandardCharsets.ISO_8859_1).replace("whatever", "whatevex");
        Files.writeString(work.resolve("forged.csr"), "-----BEGIN CERTIFICATE REQUEST-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(latin.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                + "\n-----END CERTIFICATE REQUEST-----\n");
        CommandRun forged = CommandRun.offline("participant", "add", "x-ray", "--role", "agency", "--csr",
                work.resolve("forged.csr").toString(), "--pki", pki.toString());
        assertThat(forged.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(forged.output()).startsWith("error: No certificate issued").doesNotContain("\tat ");

        openssl.run("req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", work.resolve("weak.key").toString(),
                "-subj", "/CN=weak", "-out", work.resolve("weak.csr").toString()).requireSuccess();
        CommandRun weak = CommandRun.offline("participant", "add", "weak-ngo", "--role", "agency", "--csr",
                work.resolve("weak.csr").toString(), "--pki", pki.toString());
        assertThat(weak.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(weak.output()).startsWith("error: No certificate issued for \"weak-ngo\" (the CSR holds an RSA key of 1024 bits;"
                + " the CA certifies RSA keys of 2048 bits or more and EC keys of P-256 or stronger)");
        assertThat(pki.resolve("agencies/weak-ngo.crt")).doesNotExist();
    }

    @Test
    void aRevokedCertificateIsRefusedByTheRunningBus() throws Exception {
        assumeTrue(OpenSsl.available(), "openssl is not installed");
        // The sample CA stands in for the deployment's; the PKI folder's ca.crl is the very file this bus reads.
        Path pki = Files.createDirectories(work.resolve("keys"));
        Files.copy(SampleKeys.ROOT.resolve("ca.crt"), pki.resolve("ca.crt"));
        Files.copy(SampleKeys.ROOT.resolve("ca.key"), pki.resolve("ca.key"));
        Files.createSymbolicLink(pki.resolve("ca.crl"), CRL_FILE.toAbsolutePath());
        OpenSsl openssl = new OpenSsl(work);
        // A renewal of border-service on its own key: the registry binds the key, so the new certificate is admitted.
        Path key = SampleKeys.key("agencies", "border-service").toAbsolutePath();
        openssl.run("req", "-new", "-key", key.toString(), "-subj", "/CN=border-service", "-out", "border.csr").requireSuccess();
        try {
            CommandRun add = CommandRun.offline("participant", "add", "border-service", "--role", "agency",
                    "--csr", work.resolve("border.csr").toString(), "--pki", pki.toString());
            assertThat(add.exit()).as(add.output()).isZero();
            String certificate = pki.resolve("agencies/border-service.crt").toString();
            CommandRun admitted = CommandRun.at(baseUrl(), "status", "00000000-0000-0000-0000-000000000015",
                    "--cert", certificate, "--key", key.toString());
            assertThat(admitted.output()).as("authenticated, so the bus looked among its referrals").contains("(not_found)");

            CommandRun revoke = CommandRun.offline("participant", "revoke", "border-service", "--pki", pki.toString());

            assertThat(revoke.exit()).as(revoke.output()).isZero();
            assertThat(revoke.output()).contains("revoked 1 certificate(s) of border-service");
            assertThat(new OpenSsl(pki).run("crl", "-in", "ca.crl", "-CAfile", "ca.crt", "-noout", "-text").requireSuccess().output())
                    .containsIgnoringCase(PemFiles.readCertificate(pki.resolve("agencies/border-service.crt")).getSerialNumber().toString(16));
            CommandRun refused = CommandRun.at(baseUrl(), "status", "00000000-0000-0000-0000-000000000015",
                    "--cert", certificate, "--key", key.toString());
            assertThat(refused.exit()).isEqualTo(ClientCommands.REFUSED);
            assertThat(refused.output()).contains("(unauthenticated)").doesNotContain("not_found");
            assertThat(CommandRun.at(baseUrl(), "status", "00000000-0000-0000-0000-000000000015").output())
                    .as("the sample certificate (another serial) still works").contains("(not_found)");
        } finally {
            TestPki.writePem(CRL_FILE, TestPki.sample().crl(List.of()));
        }
    }
}

package org.referralbus.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.OpenSsl;
import org.referralbus.support.TestPki.Identity;
import org.referralbus.support.TestPki.KeyType;
import org.referralbus.support.TestPki;

class PemFilesTest {

    private static final Identity EC = TestPki.shared().identity("agency-police", ParticipantRole.AGENCY,
            KeyType.EC_P256);
    private static final Identity RSA = TestPki.shared().identity("legal-aid", ParticipantRole.PROVIDER,
            KeyType.RSA_2048);

    @TempDir
    Path dir;

    /** The key read signs what the identity's certificate verifies. */
    private static void assertPairs(PrivateKey key, Identity identity) {
        byte[] signature = new EnvelopeSealer(key, identity.certificate()).sign(new byte[] {1, 2, 3});
        assertThat(SignedContentVerifier.verify(signature).signer()).isEqualTo(identity.certificate());
    }

    @Test
    void readsPkcs8Keys() throws IOException {
        EC.writePem(dir, "ec");
        RSA.writePem(dir, "rsa");

        assertThat(Files.readString(dir.resolve("ec.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertPairs(PemFiles.readPrivateKey(dir.resolve("ec.key")), EC);
        assertPairs(PemFiles.readPrivateKey(dir.resolve("rsa.key")), RSA);
    }

    @Test
    void readsTraditionalEcAndRsaKeysAsOpensslWritesThem() throws IOException {
        assumeTrue(OpenSsl.available(), "openssl binary not on PATH");
        EC.writePem(dir, "ec");
        RSA.writePem(dir, "rsa");
        OpenSsl openssl = new OpenSsl(dir);
        openssl.run("ec", "-in", "ec.key", "-out", "ec-sec1.key").requireSuccess();
        openssl.run("rsa", "-traditional", "-in", "rsa.key", "-out", "rsa-pkcs1.key").requireSuccess();

        assertThat(Files.readString(dir.resolve("ec-sec1.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("rsa-pkcs1.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertPairs(PemFiles.readPrivateKey(Files.readAllBytes(dir.resolve("ec-sec1.key"))), EC);
        assertPairs(PemFiles.readPrivateKey(Files.newInputStream(dir.resolve("rsa-pkcs1.key"))), RSA);
    }

    @Test
    void readsOneCertificateAndABundle() throws IOException {
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, TestPki.toPem(EC.certificate()) + TestPki.toPem(TestPki.shared().caCertificate()));
        EC.writePem(dir, "ec");

        assertThat(PemFiles.readCertificate(dir.resolve("ec.crt"))).isEqualTo(EC.certificate());
        assertThat(PemFiles.readCertificates(bundle)).containsExactly(EC.certificate(),
                TestPki.shared().caCertificate());
        assertThatThrownBy(() -> PemFiles.readCertificate(bundle)).isInstanceOf(ReferralBusException.class);
    }

    @Test
    void certificateWhereAKeyIsExpectedIsAConfigurationError() {
        byte[] certificate = TestPki.toPem(EC.certificate()).getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> PemFiles.readPrivateKey(certificate))
                .isInstanceOfSatisfying(ReferralBusException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR));
        assertThatThrownBy(() -> PemFiles.readPrivateKey(dir.resolve("missing.key")))
                .isInstanceOf(ReferralBusException.class);
    }
}

package org.referralbus.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.referralbus.envelope.EnvelopeRoundTripTest.REFERRAL;
import static org.referralbus.envelope.EnvelopeRoundTripTest.openerFor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.Sha256;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.OpenSsl;
import org.referralbus.support.TestPki.Identity;
import org.referralbus.support.TestPki.KeyType;
import org.referralbus.support.TestPki;

/** Both directions against the real {@code openssl} binary (OpenSSL 3.0 here), as agencies and providers use it. */
class EnvelopeOpenSslInteropTest {

    @TempDir
    static Path dir;
    static OpenSsl openssl;

    private static final TestPki PKI = TestPki.shared();
    private static final Identity AGENCY_EC = PKI.identity("agency-police", ParticipantRole.AGENCY, KeyType.EC_P256);
    private static final Identity AGENCY_RSA = PKI.identity("agency-ngo", ParticipantRole.AGENCY, KeyType.RSA_3072);
    private static final Identity BUS_EC = PKI.identity("bus", ParticipantRole.BUS, KeyType.EC_P256);
    private static final Identity BUS_RSA = PKI.identity("bus-rsa", ParticipantRole.BUS, KeyType.RSA_2048);
    private static final Identity PROVIDER_EC = PKI.identity("shelter-east", ParticipantRole.PROVIDER,
            KeyType.EC_P256);
    private static final Identity PROVIDER_RSA = PKI.identity("legal-aid", ParticipantRole.PROVIDER,
            KeyType.RSA_2048);

    @BeforeAll
    static void writePki() throws IOException {
        assumeTrue(OpenSsl.available(), "openssl binary not on PATH");
        openssl = new OpenSsl(dir);
        PKI.writeCaPem(dir.resolve("ca.crt"));
        AGENCY_EC.writePem(dir, "agency-ec");
        AGENCY_RSA.writePem(dir, "agency-rsa");
        BUS_EC.writePem(dir, "bus");
        BUS_RSA.writePem(dir, "bus-rsa");
        PROVIDER_EC.writePem(dir, "provider-ec");
        PROVIDER_RSA.writePem(dir, "provider-rsa");
        Files.write(dir.resolve("referral.xml"), REFERRAL);
        openssl.run("cms", "-sign", "-nodetach", "-binary", "-outform", "DER", "-md", "sha256", "-signer",
                "agency-ec.crt", "-inkey", "agency-ec.key", "-in", "referral.xml", "-out", "signed-ec.der")
                .requireSuccess();
        openssl.run("cms", "-sign", "-nodetach", "-binary", "-outform", "DER", "-md", "sha256", "-signer",
                "agency-rsa.crt", "-inkey", "agency-rsa.key", "-in", "referral.xml", "-out", "signed-rsa.der")
                .requireSuccess();
    }

    /** {@code openssl cms -encrypt} of an agency's signed-ec/-rsa.der; {@code outform} null means S/MIME. */
    private static byte[] encrypt(String signer, String cipher, String recipient, String outform,
                                  String... keyopts) throws IOException {
        String out = "env-" + signer + cipher + recipient + outform + String.join("", keyopts).replace(':', '_');
        List<String> arguments = new ArrayList<>(List.of("cms", "-encrypt", "-binary", cipher, "-in",
                "signed-" + signer + ".der", "-out", out, "-recip", recipient + ".crt"));
        for (String keyopt : keyopts) {
            arguments.addAll(List.of("-keyopt", keyopt));
        }
        if (outform != null) {
            arguments.addAll(List.of("-outform", outform));
        }
        openssl.run(arguments.toArray(String[]::new)).requireSuccess();
        return Files.readAllBytes(dir.resolve(out));
    }

    @ParameterizedTest(name = "{0} agency, {1}")
    @CsvSource({"ec, DER", "ec, PEM", "ec, SMIME", "rsa, DER", "rsa, PEM", "rsa, SMIME"})
    void opensslSignedAndGcmEncryptedEnvelopeOpens(String signer, String outform) throws IOException {
        byte[] envelope = encrypt(signer, "-aes-256-gcm", "bus", outform.equals("SMIME") ? null : outform);

        OpenedEnvelope opened = openerFor(BUS_EC).open(envelope);

        assertThat(opened.content()).isEqualTo(REFERRAL);
        assertThat(opened.signerIdentity().id()).isEqualTo(signer.equals("ec") ? "agency-police" : "agency-ngo");
    }

    @Test
    void opensslDerPemAndSmimeOfOneEnvelopeHaveOneHash() throws IOException {
        byte[] der = encrypt("ec", "-aes-256-gcm", "bus", "DER");
        Files.write(dir.resolve("one.der"), der);
        openssl.run("cms", "-cmsout", "-inform", "DER", "-in", "one.der", "-outform", "PEM", "-out", "one.pem")
                .requireSuccess();
        openssl.run("cms", "-cmsout", "-inform", "DER", "-in", "one.der", "-outform", "SMIME", "-out", "one.smime")
                .requireSuccess();
        EnvelopeOpener opener = openerFor(BUS_EC);

        String expected = opener.open(der).envelopeSha256();

        assertThat(expected).isEqualTo(Sha256.hex(der));
        assertThat(opener.open(Files.readAllBytes(dir.resolve("one.pem"))).envelopeSha256()).isEqualTo(expected);
        assertThat(opener.open(Files.readAllBytes(dir.resolve("one.smime"))).envelopeSha256()).isEqualTo(expected);
    }

    @Test
    void opensslRsaOaepSha256AndSha1EnvelopesOpenForRsaBus() throws IOException {
        byte[] oaepSha256 = encrypt("ec", "-aes-256-gcm", "bus-rsa", "DER", "rsa_padding_mode:oaep",
                "rsa_oaep_md:sha256");
        byte[] oaepSha1 = encrypt("ec", "-aes-256-gcm", "bus-rsa", "DER", "rsa_padding_mode:oaep");

        assertThat(openerFor(BUS_RSA).open(oaepSha256).content()).isEqualTo(REFERRAL);
        assertThat(openerFor(BUS_RSA).open(oaepSha1).content()).isEqualTo(REFERRAL);
    }

    @Test
    void opensslDefaultRsaKeyTransportIsRefused() throws IOException {
        byte[] pkcs1 = encrypt("ec", "-aes-256-gcm", "bus-rsa", "DER");

        assertThatThrownBy(() -> openerFor(BUS_RSA).open(pkcs1)).isInstanceOfSatisfying(ReferralBusException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_KEY_TRANSPORT));
    }

    /** Issue 10, finding 8: only AES-GCM is read; OpenSSL's {@code -aes-256-cbc} output is refused, never decrypted. */
    @Test
    void opensslAes256CbcEnvelopedDataIsRefusedAsUnsupported() throws IOException {
        byte[] ec = encrypt("rsa", "-aes-256-cbc", "bus", "DER");
        byte[] rsa = encrypt("ec", "-aes-256-cbc", "bus-rsa", "PEM", "rsa_padding_mode:oaep", "rsa_oaep_md:sha256");

        for (var opened : List.of(java.util.Map.entry(BUS_EC, ec), java.util.Map.entry(BUS_RSA, rsa))) {
            assertThatThrownBy(() -> openerFor(opened.getKey()).open(opened.getValue()))
                    .isInstanceOfSatisfying(ReferralBusException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_ENVELOPE));
        }
    }

    @Test
    void opensslAes256GcmForAnRsaBusOpens() throws IOException {
        assertThat(openerFor(BUS_RSA).open(encrypt("ec", "-aes-256-gcm", "bus-rsa", "PEM", "rsa_padding_mode:oaep",
                "rsa_oaep_md:sha256")).content()).isEqualTo(REFERRAL);
    }

    @Test
    void tamperedOpensslEnvelopeIsDecryptionFailed() throws IOException {
        byte[] envelope = encrypt("ec", "-aes-256-gcm", "bus", "DER");
        envelope[envelope.length - 30] ^= 0x01;

        assertThatThrownBy(() -> openerFor(BUS_EC).open(envelope)).isInstanceOfSatisfying(ReferralBusException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DECRYPTION_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"provider-ec", "provider-rsa"})
    void busEnvelopeDecryptsAndVerifiesWithOpenssl(String provider) throws IOException {
        Identity recipient = provider.equals("provider-ec") ? PROVIDER_EC : PROVIDER_RSA;
        Files.write(dir.resolve(provider + ".env.der"),
                new EnvelopeSealer(BUS_EC.key(), BUS_EC.certificate()).seal(REFERRAL, recipient.certificate()));

        openssl.run("cms", "-decrypt", "-inform", "DER", "-in", provider + ".env.der", "-recip", provider + ".crt",
                "-inkey", provider + ".key", "-out", provider + ".signed.der").requireSuccess();
        openssl.run("cms", "-verify", "-inform", "DER", "-in", provider + ".signed.der", "-CAfile", "ca.crt",
                "-out", provider + ".content.xml").requireSuccess();

        assertThat(Files.readAllBytes(dir.resolve(provider + ".content.xml"))).isEqualTo(REFERRAL);
    }

    @Test
    void tamperedBusEnvelopeMakesOpensslFail() throws IOException {
        byte[] envelope = new EnvelopeSealer(BUS_EC.key(), BUS_EC.certificate()).seal(REFERRAL,
                PROVIDER_EC.certificate());
        envelope[envelope.length - 3] ^= 0x01;
        Files.write(dir.resolve("tampered.env.der"), envelope);

        OpenSsl.Result result = openssl.run("cms", "-decrypt", "-inform", "DER", "-in", "tampered.env.der",
                "-recip", "provider-ec.crt", "-inkey", "provider-ec.key", "-out", "tampered.out");

        assertThat(result.exitCode()).isNotZero();
    }

    @Test
    void detachedSignatureVerifiesWithOpenssl() throws IOException {
        byte[] receipt = "{\"referral\":\"r-1\",\"status\":\"accepted\",\"note\":\"Нигина\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(dir.resolve("receipt.json"), receipt);
        Files.write(dir.resolve("receipt.sig.der"),
                new EnvelopeSealer(BUS_EC.key(), BUS_EC.certificate()).signDetached(receipt));

        openssl.run("cms", "-verify", "-binary", "-inform", "DER", "-in", "receipt.sig.der", "-content",
                "receipt.json", "-CAfile", "ca.crt", "-out", "receipt.verified").requireSuccess();
    }

    @Test
    void rsaSignerSignatureVerifiesWithOpenssl() throws IOException {
        Files.write(dir.resolve("rsa-signed.der"),
                new EnvelopeSealer(AGENCY_RSA.key(), AGENCY_RSA.certificate()).sign(REFERRAL));

        openssl.run("cms", "-verify", "-inform", "DER", "-in", "rsa-signed.der", "-CAfile", "ca.crt",
                "-out", "rsa-signed.xml").requireSuccess();

        assertThat(Files.readAllBytes(dir.resolve("rsa-signed.xml"))).isEqualTo(REFERRAL);
    }
}

package org.referralbus.participants;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.TestPki;

/**
 * Ids may contain '-' and one id may end another ({@code hotline}, {@code ngo-hotline}): the certificates kept under
 * {@code issued/<serial>-<id>.crt} are those of the id itself, so `participant revoke hotline` does not revoke
 * ngo-hotline, and `participant add hotline` is not taken for a renewal of ngo-hotline.
 */
class DeploymentAuthorityTest {

    @TempDir
    Path work;

    @Test
    void theCertificatesIssuedToAnIdAreNotThoseOfAnIdEndingWithIt() throws Exception {
        DeploymentAuthority authority = DeploymentAuthority.create(work.resolve("keys"), "Test NRM", List.of("localhost"),
                Duration.ofDays(30));
        Path other = authority.issue("ngo-hotline", ParticipantRole.AGENCY, csr(), Duration.ofDays(30));

        assertThat(authority.issuedTo("hotline")).as("nothing was issued to hotline").isEmpty();

        authority.issue("hotline", ParticipantRole.PROVIDER, csr(), Duration.ofDays(30));
        assertThat(authority.issuedTo("hotline")).singleElement()
                .satisfies(c -> assertThat(ParticipantIdentity.of(c).id()).isEqualTo("hotline"));
        assertThat(authority.revoke("hotline")).isEqualTo(1);
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(Files.newInputStream(authority.crlFile()));
        assertThat(crl.isRevoked(DeploymentAuthority.readCertificate(other))).as("ngo-hotline is not revoked with hotline").isFalse();
    }

    private static byte[] csr() throws Exception {
        KeyPair key = TestPki.generate(TestPki.KeyType.EC_P256);
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=someone"), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        return TestPki.toPem(request).getBytes(StandardCharsets.US_ASCII);
    }
}

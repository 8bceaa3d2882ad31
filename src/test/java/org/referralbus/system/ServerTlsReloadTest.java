package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.cli.ReferralBusCommandLine;
import org.referralbus.core.TrustAnchors;
import org.referralbus.envelope.PemFiles;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.mock.env.MockEnvironment;

/**
 * The hot reload of the HTTPS key applies only what a start would accept: in the {@code prod} profile a sample
 * certificate (public key material) is refused at start by {@link SampleKeyGuard}, and must not be served after a
 * reload either.
 */
class ServerTlsReloadTest {

    private static final Path SAMPLE = Path.of("keys-sample");

    @TempDir
    Path work;

    /** The bundles handed to the server: what a reload applied. */
    private final List<SslBundle> applied = new ArrayList<>();

    private final SslBundleRegistry registry = new SslBundleRegistry() {
        @Override
        public void registerBundle(String name, SslBundle bundle) {
        }

        @Override
        public void updateBundle(String name, SslBundle updated) {
            applied.add(updated);
        }
    };

    @Test
    void inTheProdProfileASampleServerCertificateCopiedInIsNotApplied() throws Exception {
        ServerTlsReload reload = reloadServing(ownPair(), "prod");

        copySamplePair();
        reload.reloadIfChanged();

        assertThat(applied).as("the sample key is public: prod refuses it at start, and at a reload").isEmpty();
    }

    @Test
    void outsideProdTheSamplePairIsAppliedAsAnyMatchingPair() throws Exception {
        ServerTlsReload reload = reloadServing(ownPair(), "default");

        copySamplePair();
        reload.reloadIfChanged();

        assertThat(applied).hasSize(1);
    }

    private ServerTlsReload reloadServing(Path pair, String profile) throws Exception {
        Path served = Files.createDirectories(work.resolve("served"));
        Files.copy(pair.resolve("tls/server.crt"), served.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pair.resolve("tls/server.key"), served.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
        TlsProperties tls = new TlsProperties(served.resolve("server.crt"), served.resolve("server.key"), null, null, null,
                List.of("TLSv1.3"), List.of("TLS_AES_256_GCM_SHA384"));
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profile);
        return new ServerTlsReload(registry, tls, new TrustAnchors(List.of(PemFiles.readCertificate(pair.resolve("ca.crt")))),
                environment);
    }

    private void copySamplePair() throws Exception {
        Path served = work.resolve("served");
        Files.copy(SAMPLE.resolve("tls/localhost.crt"), served.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(SAMPLE.resolve("tls/localhost.key"), served.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A PKI of the deployment's own from `keys init`. */
    private Path ownPair() {
        Path out = work.resolve("own");
        int exit = ReferralBusCommandLine.run(new PrintWriter(new StringWriter()), "keys", "init", "--out", out.toString(),
                "--server-name", "localhost");
        assertThat(exit).isZero();
        return out;
    }
}

package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.cli.ReferralBusCommandLine;
import org.referralbus.core.StartupRefusal;
import org.referralbus.core.TrustAnchors;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.participants.RevocationLists;
import org.referralbus.participants.Revocations;
import org.referralbus.support.LogCapture;
import org.referralbus.support.TestPki;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.mock.env.MockEnvironment;

/**
 * The hot reload of the HTTPS key applies only what a start would accept and what clients would accept: in the
 * {@code prod} profile a sample certificate (public key material) is refused at start by {@link SampleKeyGuard}, and
 * must not be served after a reload either; an expired or not yet valid certificate, one from a CA the bus does not
 * trust, a participant's certificate, one the configured CRLs revoke, or one that drops a host name clients use is not
 * applied, with one warning per content of the files, and the certificate in force stays.
 */
class ServerTlsReloadTest {

    private static final Path SAMPLE = Path.of("keys-sample");
    private static final Path SAMPLE_CA = SAMPLE.resolve("ca.crt");
    private static final List<String> HOSTS = List.of("localhost", "127.0.0.1");
    private static final String NOT_APPLIED = "HTTPS certificate change not applied, the certificate in force stays";
    private static final TestPki CA = TestPki.production("Ministry of Labour");

    @TempDir
    Path work;

    private final MovableClock clock = new MovableClock();

    /** The CRLs of referral-bus.identity.crl-files: none, unless a test revokes. */
    private Revocations revocations = Revocations.NONE;

    /** The bundles handed to the server: what a reload applied. */
    private final List<SslBundle> applied = new ArrayList<>();

    private final DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry() {
        @Override
        public void updateBundle(String name, SslBundle updated) {
            applied.add(updated);
            super.updateBundle(name, updated);
        }
    };

    @Test
    void inTheProdProfileASampleServerCertificateCopiedInIsNotApplied() throws Exception {
        ServerTlsReload reload = reloadServing(ownPair(), "prod", SAMPLE_CA);

        copySamplePair();
        reload.reloadIfChanged();

        assertThat(applied).as("the sample key is public: prod refuses it at start, and at a reload").isEmpty();
    }

    @Test
    void outsideProdTheSamplePairFromATrustedCaIsAppliedAsAnyMatchingPair() throws Exception {
        ServerTlsReload reload = reloadServing(ownPair(), "default", SAMPLE_CA);

        copySamplePair();
        reload.reloadIfChanged();

        assertThat(applied).hasSize(1);
    }

    @Test
    void aRenewalFromTheSameCaForTheSameHostsIsApplied() throws Exception {
        ServerTlsReload reload = serving(CA.server(HOSTS, daysFromNow(-1), daysFromNow(30)));

        X509Certificate renewed = copyIn(CA.server(List.of("127.0.0.1", "localhost", "bus.example.org"), daysFromNow(-1),
                daysFromNow(730)));
        reload.reloadIfChanged();

        assertThat(applied).hasSize(1);
        assertThat(ServerTlsConfiguration.chain(applied.get(0)).get(0)).isEqualTo(renewed);
    }

    @Test
    void anExpiredCertificateIsNotAppliedAndSaidOnceWithTheFile() throws Exception {
        ServerTlsReload reload = serving(CA.server(HOSTS, daysFromNow(-1), daysFromNow(30)));

        try (LogCapture log = LogCapture.start()) {
            copyIn(CA.server(HOSTS, daysFromNow(-400), daysFromNow(-35)));
            reload.reloadIfChanged();
            reload.reloadIfChanged();
            reload.reloadIfChanged();

            assertThat(applied).isEmpty();
            assertThat(warnings(log)).singleElement().asString()
                    .contains(work.resolve("served/server.crt") + " (referral-bus.tls.certificate) expired on ")
                    .contains("Install the renewed certificate");
        }
    }

    @Test
    void aCertificateNotYetValidIsNotApplied() throws Exception {
        ServerTlsReload reload = serving(CA.server(HOSTS, daysFromNow(-1), daysFromNow(30)));

        try (LogCapture log = LogCapture.start()) {
            copyIn(CA.server(HOSTS, daysFromNow(2), daysFromNow(730)));
            reload.reloadIfChanged();
            clock.advance(Duration.ofDays(1));
            reload.reloadIfChanged();

            assertThat(applied).isEmpty();
            assertThat(warnings(log)).singleElement().asString().contains("is not valid before ").contains("check the clock");
        }
    }

    @Test
    void aCertificateNotYetValidLeftInPlaceIsAppliedOnceValid() throws Exception {
        ServerTlsReload reload = serving(CA.server(HOSTS, daysFromNow(-1), daysFromNow(30)));

        X509Certificate staged = copyIn(CA.server(HOSTS, daysFromNow(2), daysFromNow(730)));
        reload.reloadIfChanged();
        clock.advance(Duration.ofDays(3));
        reload.reloadIfChanged();

        assertThat(applied).as("the same files, judged again once the certificate is valid").hasSize(1);
        assertThat(ServerTlsConfiguration.chain(applied.get(0)).get(0)).isEqualTo(staged);
    }

    @Test
    void aCertificateFromAnotherCaIsNotApplied() throws Exception {
        ServerTlsReload reload = serving(CA.server(HOSTS, daysFromNow(-1), daysFromNow(30)));

        try (LogCapture log = LogCapture.start()) {
            copyIn(TestPki.unrelated().server(HOSTS, daysFromNow(-1), daysFromNow(730)));
            reload.reloadIfChanged();

            assertThat(applied).isEmpty();
            assertThat(warnings(log)).singleElement().asString().contains("is issued by CN=Unrelated Test CA")
                    .contains("does not chain to the trust anchors (referral-bus.identity.trust-anchors)");
        }
    }

    @Test
    void aRevokedCertificateIsNotAppliedAndSaidOnceWithTheFile() throws Exception {
        TestPki.Identity revoked = CA.server(HOSTS, daysFromNow(-1), daysFromNow(730));
        revocations = crlListing(revoked.certificate());
        ServerTlsReload reload = serving(CA.server(HOSTS, daysFromNow(-1), daysFromNow(30)));

        try (LogCapture log = LogCapture.start()) {
            copyIn(revoked);
            reload.reloadIfChanged();
            reload.reloadIfChanged();
            reload.reloadIfChanged();

            assertThat(applied).isEmpty();
            assertThat(warnings(log)).singleElement().asString()
                    .contains(work.resolve("served/server.crt") + " (referral-bus.tls.certificate) is revoked (since ")
                    .contains("by a CRL of referral-bus.identity.crl-files").contains("issued on a new key");
        }
    }

    @Test
    void aCertificateFromARevokedIntermediateCaIsNotApplied() throws Exception {
        TestPki intermediate = CA.subordinate("Issuing CA");
        revocations = crlListing(intermediate.caCertificate());
        ServerTlsReload reload = serving(CA.server(HOSTS, daysFromNow(-1), daysFromNow(30)));

        try (LogCapture log = LogCapture.start()) {
            copyIn(intermediate.server(HOSTS, daysFromNow(-1), daysFromNow(730)), intermediate.caCertificate());
            reload.reloadIfChanged();

            assertThat(applied).isEmpty();
            assertThat(warnings(log)).singleElement().asString().contains("is issued by CN=Issuing CA")
                    .contains("whose certificate is revoked");
        }
    }

    @Test
    void aParticipantsCertificateIsNotApplied() throws Exception {
        ServerTlsReload reload = serving(CA.server(HOSTS, daysFromNow(-1), daysFromNow(30)));

        try (LogCapture log = LogCapture.start()) {
            copyIn(CA.issue("shelter-khorog", ParticipantRole.PROVIDER, TestPki.KeyType.EC_P256, daysFromNow(-1), daysFromNow(365)));
            reload.reloadIfChanged();

            assertThat(applied).isEmpty();
            assertThat(warnings(log)).singleElement().asString().contains("is not a TLS server certificate")
                    .contains("lacks serverAuth");
        }
    }

    @Test
    void aCertificateDroppingAnAddressOfTheOneInForceIsNotApplied() throws Exception {
        ServerTlsReload reload = serving(CA.server(HOSTS, daysFromNow(-1), daysFromNow(30)));

        try (LogCapture log = LogCapture.start()) {
            copyIn(CA.server(List.of("localhost"), daysFromNow(-1), daysFromNow(730)));
            reload.reloadIfChanged();

            assertThat(applied).isEmpty();
            assertThat(warnings(log)).singleElement().asString().contains("does not name 127.0.0.1 (subjectAltName)");
        }
    }

    @Test
    void aWildcardCoversTheHostNameItStandsFor() throws Exception {
        ServerTlsReload reload = serving(CA.server(List.of("bus.example.org"), daysFromNow(-1), daysFromNow(30)));

        copyIn(CA.server(List.of("*.example.org"), daysFromNow(-1), daysFromNow(730)));
        reload.reloadIfChanged();

        assertThat(applied).hasSize(1);
    }

    @Test
    void aGoodPairCopiedInAfterARefusedOneIsApplied() throws Exception {
        ServerTlsReload reload = serving(CA.server(HOSTS, daysFromNow(-1), daysFromNow(30)));

        copyIn(CA.server(HOSTS, daysFromNow(-400), daysFromNow(-35)));
        reload.reloadIfChanged();
        copyIn(CA.server(HOSTS, daysFromNow(-1), daysFromNow(730)));
        reload.reloadIfChanged();

        assertThat(applied).as("the refusal was of that content, not of the files").hasSize(1);
    }

    @Test
    void aRenewalFromTheIntermediateCaInTheFileOfTheCertificateInForceIsApplied() throws Exception {
        TestPki intermediate = TestPki.unrelated().subordinate("Public Issuing CA");
        ServerTlsReload reload = serving(intermediate.server(HOSTS, daysFromNow(-1), daysFromNow(30)), intermediate.caCertificate());

        copyIn(intermediate.server(HOSTS, daysFromNow(-1), daysFromNow(90)), intermediate.caCertificate());
        reload.reloadIfChanged();

        assertThat(applied).as("a CA certificate that came with the certificate in force vouches for its renewal").hasSize(1);
    }

    @Test
    void anExpiredCertificateStopsTheStartWithTheFileAndWhatToDo() {
        Path file = work.resolve("expired.crt");
        TestPki.Identity expired = CA.server(HOSTS, daysFromNow(-400), daysFromNow(-35));

        assertThatThrownBy(() -> ServerTlsConfiguration.judgeAtStart(pemFiles(file), List.of(expired.certificate()),
                new ServerCertificateCheck(new TrustAnchors(List.of(CA.caCertificate())), Revocations.NONE, Clock.systemUTC())))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("the HTTPS server certificate " + file + " (referral-bus.tls.certificate) expired on ")
                .satisfies(refusal -> assertThat(((StartupRefusal) refusal).action()).contains("Install the renewed certificate"));
    }

    @Test
    void aStartWithACertificateNotYetValidIsRefused() {
        Path file = work.resolve("early.crt");
        TestPki.Identity early = CA.server(HOSTS, daysFromNow(2), daysFromNow(400));

        assertThatThrownBy(() -> ServerTlsConfiguration.judgeAtStart(pemFiles(file), List.of(early.certificate()),
                new ServerCertificateCheck(new TrustAnchors(List.of(CA.caCertificate())), Revocations.NONE, Clock.systemUTC())))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("the HTTPS server certificate " + file + " (referral-bus.tls.certificate) is not valid before ");
    }

    @Test
    void aStartWithARevokedCertificateIsRefused() {
        Path file = work.resolve("revoked.crt");
        TestPki.Identity revoked = CA.server(HOSTS, daysFromNow(-1), daysFromNow(400));
        ServerCertificateCheck check = new ServerCertificateCheck(new TrustAnchors(List.of(CA.caCertificate())),
                crlListing(revoked.certificate()), Clock.systemUTC());

        assertThatThrownBy(() -> ServerTlsConfiguration.judgeAtStart(pemFiles(file), List.of(revoked.certificate()), check))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("the HTTPS server certificate " + file + " (referral-bus.tls.certificate) is revoked (since ")
                .hasMessageContaining("by a CRL of referral-bus.identity.crl-files")
                .satisfies(refusal -> assertThat(((StartupRefusal) refusal).action()).contains("issued on a new key"));
    }

    @Test
    void aStartWithAParticipantsCertificateIsRefused() {
        Path file = work.resolve("participant.crt");
        TestPki.Identity participant = CA.issue("shelter-khorog", ParticipantRole.PROVIDER, TestPki.KeyType.EC_P256,
                daysFromNow(-1), daysFromNow(365));

        assertThatThrownBy(() -> ServerTlsConfiguration.judgeAtStart(pemFiles(file), List.of(participant.certificate()),
                new ServerCertificateCheck(new TrustAnchors(List.of(CA.caCertificate())), Revocations.NONE, Clock.systemUTC())))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("the HTTPS server certificate " + file + " (referral-bus.tls.certificate) is not a TLS"
                        + " server certificate: its extendedKeyUsage lacks serverAuth")
                .satisfies(refusal -> assertThat(((StartupRefusal) refusal).action()).contains("extendedKeyUsage=serverAuth"));
    }

    @Test
    void aStartWithACertificateFromAnotherCaIsWarnedAbout() {
        Path file = work.resolve("public.crt");
        ServerCertificateCheck check = new ServerCertificateCheck(new TrustAnchors(List.of(CA.caCertificate())), Revocations.NONE, Clock.systemUTC());

        try (LogCapture log = LogCapture.start()) {
            ServerTlsConfiguration.judgeAtStart(pemFiles(file),
                    List.of(TestPki.unrelated().server(HOSTS, daysFromNow(-1), daysFromNow(30)).certificate()), check);
            ServerTlsConfiguration.judgeAtStart(pemFiles(file), List.of(CA.server(HOSTS, daysFromNow(-1), daysFromNow(30)).certificate()), check);

            assertThat(log.events()).filteredOn(event -> event.getLevel() == Level.WARN)
                    .extracting(event -> event.getFormattedMessage())
                    .singleElement().asString().contains(file.toString()).contains("does not chain to the trust anchors")
                    .contains("If that is not intended");
        }
    }

    /** The CRL file of {@link #CA} listing {@code revoked}, read as the bus reads referral-bus.identity.crl-files. */
    private Revocations crlListing(X509Certificate... revoked) {
        Path file = work.resolve("ca.crl");
        TestPki.writePem(file, CA.crl(List.of(revoked)));
        return new RevocationLists(List.of(file), List.of(CA.caCertificate()), Duration.ZERO, Clock.systemUTC());
    }

    private static List<String> warnings(LogCapture log) {
        return log.events().stream().filter(event -> event.getLevel() == Level.WARN)
                .map(event -> event.getFormattedMessage()).filter(message -> message.startsWith(NOT_APPLIED)).toList();
    }

    private ServerTlsReload serving(TestPki.Identity server, X509Certificate... caCertificates) throws Exception {
        Path pair = Files.createDirectories(work.resolve("pair"));
        Files.writeString(pair.resolve("ca.crt"), TestPki.toPem(CA.caCertificate()));
        write(pair.resolve("tls"), server, caCertificates);
        return reloadServing(pair, "default");
    }

    private X509Certificate copyIn(TestPki.Identity server, X509Certificate... caCertificates) {
        write(work.resolve("served"), server, caCertificates);
        return server.certificate();
    }

    /** {@code server.crt} (the certificate, then the CA certificates of its file) and {@code server.key}. */
    private static void write(Path dir, TestPki.Identity server, X509Certificate... caCertificates) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        server.writePem(dir, "server");
        StringBuilder chain = new StringBuilder(TestPki.toPem(server.certificate()));
        for (X509Certificate ca : caCertificates) {
            chain.append(TestPki.toPem(ca));
        }
        TestPki.writePem(dir.resolve("server.crt"), chain.toString());
    }

    private ServerTlsReload reloadServing(Path pair, String profile, Path... moreAnchors) throws Exception {
        Path served = Files.createDirectories(work.resolve("served"));
        Files.copy(pair.resolve("tls/server.crt"), served.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pair.resolve("tls/server.key"), served.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
        TlsProperties tls = pemFiles(served.resolve("server.crt"));
        tls = new TlsProperties(tls.certificate(), served.resolve("server.key"), null, null, null, tls.enabledProtocols(), tls.ciphers());
        List<X509Certificate> anchors = new ArrayList<>(List.of(PemFiles.readCertificate(pair.resolve("ca.crt"))));
        for (Path anchor : moreAnchors) {
            anchors.add(PemFiles.readCertificate(anchor));
        }
        TrustAnchors trust = new TrustAnchors(anchors);
        registry.registerBundle(ServerTlsConfiguration.BUNDLE, ServerTlsConfiguration.bundle(tls, trust));
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profile);
        return new ServerTlsReload(registry, registry, tls, trust, revocations, clock, environment);
    }

    private static TlsProperties pemFiles(Path certificate) {
        return new TlsProperties(certificate, null, null, null, null, List.of("TLSv1.3"), List.of("TLS_AES_256_GCM_SHA384"));
    }

    private void copySamplePair() throws Exception {
        Path served = work.resolve("served");
        Files.copy(SAMPLE.resolve("tls/localhost.crt"), served.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(SAMPLE.resolve("tls/localhost.key"), served.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The system clock, moved forward by the test. */
    private static final class MovableClock extends Clock {
        private Duration ahead = Duration.ZERO;

        void advance(Duration by) {
            ahead = ahead.plus(by);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static Instant daysFromNow(int days) {
        return Instant.now().plus(Duration.ofDays(days));
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

package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.cli.ReferralBusCommandLine;
import org.referralbus.support.SampleKeys;
import tools.jackson.databind.json.JsonMapper;

/** Tree heads timestamped by an RFC 3161 authority (the test's own, over HTTP) and appended to the heads file. */
class TreeHeadAnchoringTest {

    @TempDir
    Path dataDir;
    TestTimestampAuthority tsa;
    Path headsFile;
    Path tsaCertificate;
    TrailDatabase db;

    @BeforeEach
    void authorityAndHeadsFile() throws Exception {
        tsa = new TestTimestampAuthority();
        headsFile = dataDir.resolve("heads.txt");
        tsaCertificate = tsa.writeCertificate(dataDir.resolve("tsa.crt"));
        db = new TrailDatabase(dataDir, new AnchoringProperties(tsa.url(), tsaCertificate, headsFile, Duration.ofSeconds(30)));
    }

    @AfterEach
    void close() {
        db.close();
        tsa.close();
    }

    @Test
    void eachHeadIsTimestampedAndFiledAndTheVerifierFindsEveryOneAnchored() throws Exception {
        db.recordEvents(4);
        TreeHead first = db.treeHeads.take().orElseThrow();
        db.recordEvents(3);
        TreeHead second = db.treeHeads.take().orElseThrow();

        assertThat(first.timestampToken()).isNotNull();
        assertThat(TimestampAnchor.verify(second.timestampToken(), second.line(), tsa.certificate())).isTrue();
        assertThat(TimestampAnchor.verify(second.timestampToken(), first.line(), tsa.certificate()))
                .as("a token is for one head only").isFalse();
        assertThat(Files.readAllLines(headsFile)).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("referral-bus audit tree head v1 size="));
        assertThat(db.verifier.verify().unanchoredTreeHeads()).isEmpty();
    }

    @Test
    void headTheAuthorityDidNotStampIsReportedUntilItIsStampedLater() {
        db.recordEvents(2);
        db.treeHeads.take().orElseThrow();
        tsa.refuse(true);
        db.recordEvents(2);
        TreeHead unstamped = db.treeHeads.take().orElseThrow();
        assertThat(unstamped.timestampToken()).isNull();
        withoutHeadsFile();

        assertThat(db.verifier.verify().unanchoredTreeHeads()).containsExactly(4L);

        tsa.refuse(false);
        db.treeHeads.timestampPending();
        assertThat(db.verifier.verify().unanchoredTreeHeads()).isEmpty();
    }

    @Test
    void tokenFromAnotherAuthorityDoesNotCount() throws Exception {
        db.recordEvents(2);
        db.treeHeads.take().orElseThrow();
        withoutHeadsFile();
        try (TestTimestampAuthority other = new TestTimestampAuthority()) {
            Path otherCertificate = other.writeCertificate(dataDir.resolve("other.crt"));
            AuditChainVerifier verifier = new AuditChainVerifier(db.jdbc, SampleKeys.busCertificate(),
                    new TreeHeadAnchors(new AnchoringProperties(null, otherCertificate, null, Duration.ofSeconds(5))));

            assertThat(verifier.verify().unanchoredTreeHeads()).containsExactly(2L);
        }
    }

    @Test
    void headOnlyInTheHeadsFileCountsAsAnchoredAndAMissingLineIsReported() throws Exception {
        db.recordEvents(2);
        db.treeHeads.take().orElseThrow();
        db.recordEvents(2);
        db.treeHeads.take().orElseThrow();
        AuditChainVerifier fileOnly = new AuditChainVerifier(db.jdbc, SampleKeys.busCertificate(),
                new TreeHeadAnchors(new AnchoringProperties(null, null, headsFile, Duration.ofSeconds(5))));
        assertThat(fileOnly.verify().unanchoredTreeHeads()).isEmpty();

        List<String> lines = Files.readAllLines(headsFile);
        Files.write(headsFile, lines.subList(0, 1));

        assertThat(fileOnly.verify().unanchoredTreeHeads()).containsExactly(4L);
    }

    @Test
    void verifyProofWithTheAuthorityCertificateReportsAHeadNeverAnchored() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        AuditProofs proofs = new AuditProofs(db.jdbc, db.treeHeads);
        db.recordEvents(3);
        TreeHead stamped = db.treeHeads.take().orElseThrow();
        Path proof = Files.write(dataDir.resolve("inclusion.json"), json.writeValueAsBytes(proofs.inclusion(2, null)));
        Path head = Files.write(dataDir.resolve("head.json"), json.writeValueAsBytes(stamped));
        Path unstamped = Files.write(dataDir.resolve("unstamped.json"), json.writeValueAsBytes(stamped.withTimestampToken(null)));
        String bus = SampleKeys.certificate("bus", "bus").toString();

        StringWriter out = new StringWriter();
        assertThat(ReferralBusCommandLine.run(new PrintWriter(out), "audit", "verify-proof", "--head", head.toString(), "--proof",
                proof.toString(), "--bus-certificate", bus, "--tsa-certificate", tsaCertificate.toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains("tree head 3: timestamped by CN=Test Time-Stamping Authority");

        out = new StringWriter();
        assertThat(ReferralBusCommandLine.run(new PrintWriter(out), "audit", "verify-proof", "--head", unstamped.toString(), "--proof",
                proof.toString(), "--bus-certificate", bus, "--tsa-certificate", tsaCertificate.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("tree head 3: never anchored");
    }

    @Test
    void auditVerifyReportsTheHeadMissingFromTheCollectedFile() throws Exception {
        db.recordEvents(2);
        db.treeHeads.take().orElseThrow();
        db.recordEvents(2);
        db.treeHeads.take().orElseThrow();
        db.close();
        String[] verify = {"audit", "verify", "--referral-bus.data-dir=" + dataDir,
                "--referral-bus.audit.anchoring.heads-file=" + headsFile};

        StringWriter out = new StringWriter();
        assertThat(ReferralBusCommandLine.run(new PrintWriter(out), verify)).as(out.toString()).isZero();
        assertThat(out.toString()).contains("every signed tree head is anchored", "intact");

        Files.write(headsFile, Files.readAllLines(headsFile).subList(0, 1));
        out = new StringWriter();
        assertThat(ReferralBusCommandLine.run(new PrintWriter(out), verify)).isEqualTo(1);
        assertThat(out.toString()).contains("NOT ANCHORED: tree heads of size [4] are witnessed by no timestamp and no line of the heads file");
    }

    private void withoutHeadsFile() {
        try {
            Files.deleteIfExists(headsFile);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

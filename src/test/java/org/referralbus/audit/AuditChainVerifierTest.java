package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.SampleKeys;

/** Tampering done directly in the database, as an administrator could, and the link the verifier reports. */
class AuditChainVerifierTest {

    @TempDir
    Path dataDir;
    TrailDatabase db;

    @BeforeEach
    void tenEventsAndACheckpointAtTen() {
        db = new TrailDatabase(dataDir);
        db.recordEvents(10);
        assertThat(db.checkpoints.take()).hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(10));
        db.recordEvents(2);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void untouchedTrailIsIntact() {
        assertThat(db.verifier.verify()).isEqualTo(new ChainVerification(true, 12, null, null));
    }

    @Test
    void oneVerificationReadsEachRowOnceForTheChainAndTheTreeHeadsAlike() {
        db.treeHeads.take().orElseThrow();
        db.recordEvents(3);
        db.treeHeads.take().orElseThrow();
        TrailRangeReads reads = new TrailRangeReads(db.dataSource);

        ChainVerification result = new AuditChainVerifier(reads, SampleKeys.busCertificate()).verify();

        assertThat(result).isEqualTo(new ChainVerification(true, 15, null, null));
        assertThat(reads.ranges).containsExactly("1..15");
    }

    @Test
    void aHashEditedIntoSomethingElseIsReportedAtItsRowWithOrWithoutTreeHeads() {
        String stored = db.jdbc.queryForObject("SELECT hash FROM audit_event WHERE seq = 11", String.class);
        db.jdbc.update("UPDATE audit_event SET hash = 'not a hash at all' WHERE seq = 11");
        ChainVerification withoutHeads = db.verifier.verify();
        db.jdbc.update("UPDATE audit_event SET hash = ? WHERE seq = 11", stored);
        db.treeHeads.take().orElseThrow();
        db.jdbc.update("UPDATE audit_event SET hash = 'not a hash at all' WHERE seq = 11");

        ChainVerification withAHead = db.verifier.verify();

        assertThat(withoutHeads.firstBrokenSeq()).isEqualTo(11);
        assertThat(withoutHeads.reason()).startsWith("edited row");
        assertThat(withAHead.firstBrokenSeq()).isEqualTo(11);
        assertThat(withAHead.reason()).startsWith("edited row");
    }

    @Test
    void theSignerStillSignsATrailWithAHashEditedIntoSomethingElseAndTheVerifierReportsTheRow() {
        db.jdbc.update("UPDATE audit_event SET hash = 'not a hash at all' WHERE seq = 11");

        TreeHead head = db.treeHeads.take().orElseThrow();
        ChainVerification result = db.verifier.verify();

        assertThat(head.treeSize()).isEqualTo(12);
        assertThat(result.firstBrokenSeq()).isEqualTo(11);
        assertThat(result.reason()).startsWith("edited row");
    }

    @Test
    void tamperedAuditRowIsReportedAtItsSequence() {
        db.jdbc.update("UPDATE audit_event SET counterpart = 'legal-aid-khujand' WHERE seq = 4");

        ChainVerification result = db.verifier.verify();

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).isEqualTo(4);
        assertThat(result.reason()).startsWith("edited row");
        assertThat(result.eventsChecked()).isEqualTo(4);
    }

    @Test
    void deletedRowIsReportedAtTheMissingSequence() {
        db.jdbc.update("DELETE FROM audit_event WHERE seq = 6");

        ChainVerification result = db.verifier.verify();

        assertThat(result.firstBrokenSeq()).isEqualTo(6);
        assertThat(result.reason()).startsWith("deleted rows");
    }

    @Test
    void reorderedRowsAreReportedAtTheFirstMovedRow() {
        db.jdbc.update("UPDATE audit_event SET seq = -1 WHERE seq = 3");
        db.jdbc.update("UPDATE audit_event SET seq = 3 WHERE seq = 5");
        db.jdbc.update("UPDATE audit_event SET seq = 5 WHERE seq = -1");

        ChainVerification result = db.verifier.verify();

        assertThat(result.firstBrokenSeq()).isEqualTo(3);
        assertThat(result.reason()).startsWith("reordered rows");
    }

    @Test
    void forgedCheckpointIsReportedAtItsSequence() {
        byte[] line = AuditCheckpoints.line(10, "f".repeat(64), java.time.OffsetDateTime.now());
        byte[] signedByAnAgency = SampleKeys.agencySealer("border-service").signDetached(line);
        db.jdbc.update("UPDATE audit_checkpoint SET signature = ? WHERE seq = 10", signedByAnAgency);

        ChainVerification result = db.verifier.verify();

        assertThat(result.firstBrokenSeq()).isEqualTo(10);
        assertThat(result.reason()).startsWith("forged checkpoint");
    }

    /**
     * After a rotation of the bus key the trail holds checkpoints of both keys: the verifier takes every bus certificate
     * configured (current, previous, retired), and still no other, even one the same CA issued to the bus role.
     */
    @Test
    void checkpointsOfABusKeyRetiredByARotationStayTheBusesWhenItsCertificateIsKept() {
        java.time.Instant now = java.time.Instant.now();
        org.referralbus.support.TestPki.Identity rotated = org.referralbus.support.TestPki.sample().issue("referral-bus",
                org.referralbus.participants.ParticipantRole.BUS, org.referralbus.support.TestPki.KeyType.EC_P256,
                now.minusSeconds(60), now.plus(java.time.Duration.ofDays(30)));
        db.recordEvents(8);
        AuditCheckpoints afterRotation = new AuditCheckpoints(db.jdbc,
                new org.referralbus.envelope.EnvelopeSealer(rotated.key(), rotated.certificate()), java.time.Clock.systemUTC());
        assertThat(afterRotation.take()).hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(20));
        java.security.cert.X509Certificate old = SampleKeys.busCertificate();
        java.security.cert.X509Certificate sameCaOtherKey = org.referralbus.support.TestPki.sample().issue("referral-bus",
                org.referralbus.participants.ParticipantRole.BUS, org.referralbus.support.TestPki.KeyType.EC_P256,
                now.minusSeconds(60), now.plus(java.time.Duration.ofDays(30))).certificate();
        TreeHeadAnchors none = new TreeHeadAnchors(AnchoringProperties.none());

        ChainVerification currentOnly = new AuditChainVerifier(db.jdbc, BusSignatures.of(rotated.certificate()), none).verify();
        assertThat(currentOnly.firstBrokenSeq()).isEqualTo(10);
        assertThat(currentOnly.reason()).startsWith("forged checkpoint");
        assertThat(new AuditChainVerifier(db.jdbc, new BusSignatures(java.util.List.of(rotated.certificate(), old)), none)
                .verify().intact()).isTrue();
        assertThat(new AuditChainVerifier(db.jdbc, new BusSignatures(java.util.List.of(sameCaOtherKey, old)), none).verify()
                .reason()).as("a bus certificate of another key speaks for no one").startsWith("forged checkpoint: the signature over checkpoint 20");
    }

    /**
     * A retired bus key is kept by no one in particular after its rotation. Whoever finds it must not be able to sign
     * a checkpoint dated after its certificate expired that still counts as the bus's: a signature without the
     * signing-time attribute escaped Bouncy Castle's own check of the certificate's validity.
     */
    @Test
    void aRetiredKeySignsNothingDatedAfterItsCertificateExpired() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        org.referralbus.support.TestPki.Identity expired = org.referralbus.support.TestPki.sample().issue("referral-bus",
                org.referralbus.participants.ParticipantRole.BUS, org.referralbus.support.TestPki.KeyType.EC_P256,
                now.minus(java.time.Duration.ofDays(60)), now.minus(java.time.Duration.ofDays(30)));
        db.recordEvents(8);
        String hash = db.jdbc.queryForObject("SELECT hash FROM audit_event WHERE seq = 20", String.class).trim();
        java.time.OffsetDateTime at = AuditChain.normalise(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
        byte[] line = AuditCheckpoints.line(20, hash, at);
        org.bouncycastle.cms.CMSSignedDataGenerator generator = new org.bouncycastle.cms.CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder(
                new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build()).setDirectSignature(true)
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(expired.key()),
                        expired.certificate()));
        byte[] forged = generator.generate(new org.bouncycastle.cms.CMSProcessableByteArray(line), false).getEncoded();
        db.jdbc.update("INSERT INTO audit_checkpoint (seq, hash, at, signature) VALUES (?, ?, ?, ?)", 20L, hash, at, forged);
        TreeHeadAnchors none = new TreeHeadAnchors(AnchoringProperties.none());

        ChainVerification result = new AuditChainVerifier(db.jdbc,
                new BusSignatures(java.util.List.of(SampleKeys.busCertificate(), expired.certificate())), none).verify();

        assertThat(result.reason()).as("dated after the retired certificate expired").isNotNull()
                .startsWith("checkpoint 20 dated ").contains("signed by a bus certificate that was not valid then",
                        "a bus that went on signing after its certificate expired", "or a retired key misused");
    }

    @Test
    void truncatedTrailIsCaughtByTheCheckpoint() {
        db.jdbc.update("DELETE FROM audit_event WHERE seq >= 9");
        String hash = db.jdbc.queryForObject("SELECT hash FROM audit_event WHERE seq = 8", String.class);
        db.jdbc.update("UPDATE audit_head SET seq = 8, hash = ?", hash);

        ChainVerification result = db.verifier.verify();

        assertThat(result.firstBrokenSeq()).isEqualTo(9);
        assertThat(result.reason()).startsWith("deleted rows: checkpoint 10");
    }

    @Test
    void consistentlyRewrittenTrailIsCaughtByTheCheckpoint() {
        // The administrator edits row 7 and recomputes every hash after it: the chain alone looks fine.
        db.jdbc.update("UPDATE audit_event SET detail = 'national:SHELTER' WHERE seq = 7");
        String prev = db.jdbc.queryForObject("SELECT hash FROM audit_event WHERE seq = 6", String.class);
        for (long seq = 7; seq <= 12; seq++) {
            var row = db.jdbc.queryForMap("SELECT at, event_type, referral_id, actor, counterpart, detail FROM audit_event WHERE seq = ?", seq);
            AuditEvent event = new AuditEvent(AuditEventType.valueOf((String) row.get("EVENT_TYPE")), (String) row.get("REFERRAL_ID"),
                    (String) row.get("ACTOR"), (String) row.get("COUNTERPART"), null, (String) row.get("DETAIL"));
            String hash = AuditChain.hash(seq, db.jdbc.queryForObject("SELECT at FROM audit_event WHERE seq = ?",
                    java.time.OffsetDateTime.class, seq), event, prev.trim());
            db.jdbc.update("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE seq = ?", prev, hash, seq);
            prev = hash;
        }

        ChainVerification result = db.verifier.verify();

        assertThat(result.firstBrokenSeq()).isEqualTo(10);
        assertThat(result.reason()).startsWith("rewritten trail");
    }

    @Test
    void checkpointVerifiesWithOpenSsl() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.referralbus.support.OpenSsl.available(), "openssl not installed");
        AuditCheckpoints.Checkpoint checkpoint = db.checkpoints.latest().orElseThrow();
        Files.write(dataDir.resolve("checkpoint.txt"), checkpoint.line());
        Files.write(dataDir.resolve("checkpoint.p7s"), checkpoint.signature());

        var result = new org.referralbus.support.OpenSsl(dataDir).run("cms", "-verify", "-binary", "-inform", "DER",
                "-in", "checkpoint.p7s", "-content", "checkpoint.txt", "-CAfile",
                SampleKeys.ROOT.resolve("ca.crt").toAbsolutePath().toString(), "-purpose", "any", "-out", "/dev/null");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(new String(checkpoint.line(), StandardCharsets.US_ASCII))
                .matches("referral-bus audit checkpoint v1 seq=10 hash=[0-9a-f]{64} at=\\S+Z\n");
    }

    /** docs/auditors.md, "Signed checkpoints": the query an auditor runs in H2's shell gives the signed line and signature. */
    @Test
    void theDocumentedQueryGivesTheSignedLineAndTheSignature() throws Exception {
        String doc = Files.readString(Path.of("docs/auditors.md"));
        java.util.regex.Matcher documented = java.util.regex.Pattern.compile("-sql \"(SELECT seq, TRIM\\(hash\\)[^\"]+)\"").matcher(doc);
        assertThat(documented.find()).as("the query in docs/auditors.md").isTrue();
        Path signature = dataDir.resolve("checkpoint.p7s");
        String query = documented.group(1).replace("'checkpoint.p7s'", "'" + signature + "'");

        java.util.Map<String, Object> row = db.jdbc.queryForMap(query);
        String line = String.format("referral-bus audit checkpoint v1 seq=%s hash=%s at=%s\n", row.get("SEQ"), row.get("HASH"), row.get("AT"));

        AuditCheckpoints.Checkpoint checkpoint = db.checkpoints.latest().orElseThrow();
        assertThat(line).isEqualTo(new String(checkpoint.line(), StandardCharsets.US_ASCII));
        assertThat(Files.readAllBytes(signature)).isEqualTo(checkpoint.signature());
    }
}

package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.cli.ReferralBusCommandLine;
import org.referralbus.core.ReferralBusException;
import org.referralbus.envelope.PemFiles;
import org.referralbus.support.SampleKeys;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signed tree heads over a real (H2) trail, proofs as the auditor API hands them out (JSON), checked offline by
 * {@link ProofVerifier}; and what the verifier says after a tampered event, a forked and a truncated history.
 */
class TreeHeadProofTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final X509Certificate BUS = PemFiles.readCertificate(SampleKeys.certificate("bus", "bus"));

    @TempDir
    Path dataDir;
    TrailDatabase db;
    AuditProofs proofs;
    TreeHead head10;

    @BeforeEach
    void tenEventsSignedThenFiveMoreSigned() {
        db = new TrailDatabase(dataDir);
        proofs = new AuditProofs(db.jdbc, db.treeHeads);
        db.recordEvents(10);
        head10 = db.treeHeads.take().orElseThrow();
        db.recordEvents(5);
        assertThat(db.treeHeads.take()).hasValueSatisfying(h -> assertThat(h.treeSize()).isEqualTo(15));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void everyEventHasAnInclusionProofThatVerifiesOffline() {
        assertThat(db.treeHeads.take()).as("an unchanged trail is not signed twice").isEmpty();
        for (long seq = 1; seq <= 15; seq++) {
            ProofVerifier.Outcome outcome = offline(proofs.head(null), proofs.inclusion(seq, null), null);
            assertThat(outcome.valid()).as("seq %d: %s", seq, outcome.lines()).isTrue();
            assertThat(outcome.lines()).contains("event " + seq + " (ROUTED): included in tree head 15");
        }
        assertThat(offline(head10, proofs.inclusion(3, 10L), null).valid()).isTrue();
        assertThat(db.verifier.verify().intact()).isTrue();
    }

    @Test
    void anOlderHeadGivenWithAnInclusionProofIsRefusedNotVouchedFor() {
        ObjectNode forged = JSON.valueToTree(proofs.head(null));
        forged.put("rootHash", "00".repeat(32));

        ProofVerifier.Outcome outcome = new ProofVerifier(BUS, null).verify(json(proofs.head(null)),
                JSON.writeValueAsBytes(proofs.inclusion(7, null)), json(forged));

        assertThat(outcome.valid()).isFalse();
        assertThat(outcome.lines()).anySatisfy(line -> assertThat(line).contains("--old-head", "inclusion proof"));
    }

    @Test
    void tamperedEventFailsItsInclusionProof() {
        ObjectNode proof = JSON.valueToTree(proofs.inclusion(7, null));
        ((ObjectNode) proof.get("event")).put("counterpart", "legal-aid-khujand");

        ProofVerifier.Outcome outcome = new ProofVerifier(BUS, null).verify(json(proofs.head(null)), JSON.writeValueAsBytes(proof), null);

        assertThat(outcome.valid()).isFalse();
        assertThat(outcome.lines()).contains("event 7: its fields do not match its hash (tampered event)");
    }

    @Test
    void tamperedEventWithARecomputedHashIsNotInTheSignedTree() {
        AuditProofs.InclusionProof honest = proofs.inclusion(7, null);
        AuditRecord e = honest.event();
        AuditEvent edited = new AuditEvent(AuditEventType.ROUTED, e.referralId(), e.actor(), "legal-aid-khujand", null, e.detail());
        String forgedHash = AuditChain.hash(7, e.at(), edited, e.prevHash());
        AuditRecord forged = new AuditRecord(7, e.at(), "ROUTED", e.referralId(), e.actor(), "legal-aid-khujand", null,
                e.detail(), forgedHash, e.prevHash());

        ProofVerifier.Outcome outcome = offline(proofs.head(null), new AuditProofs.InclusionProof(15, 6, forged,
                honest.leafHash(), honest.auditPath()), null);

        assertThat(outcome.valid()).isFalse();
        assertThat(outcome.lines()).contains("event 7: NOT included in tree head 15 (the audit path does not lead to its root)");
    }

    @Test
    void tamperedRowInTheDatabaseIsReportedByTheVerifier() {
        db.jdbc.update("UPDATE audit_event SET counterpart = 'legal-aid-khujand' WHERE seq = 4");

        assertThat(db.verifier.verify()).satisfies(r -> {
            assertThat(r.firstBrokenSeq()).isEqualTo(4);
            assertThat(r.reason()).startsWith("edited row");
        });
    }

    @Test
    void consistencyProofLinksTheOlderHeadToTheNewer() {
        ProofVerifier.Outcome outcome = offline(proofs.head(null), proofs.consistency(10, 15), head10);

        assertThat(outcome.valid()).as(outcome.lines().toString()).isTrue();
        assertThat(outcome.lines()).contains("tree head 15 extends tree head 10: consistent");
    }

    @Test
    void forkedHistoryReSignedWithTheBusKeyFailsConsistencyWithTheHeadTheAuditorKept() {
        rewriteConsistentlyFrom(5);
        db.jdbc.update("DELETE FROM audit_tree_head");
        TreeHead forked = db.treeHeads.take().orElseThrow();
        assertThat(forked.treeSize()).isEqualTo(15);

        ProofVerifier.Outcome outcome = offline(forked, proofs.consistency(15, 15), proofs.head(15L));
        assertThat(outcome.valid()).isTrue();
        db.jdbc.update("INSERT INTO audit_tree_head (tree_size, root_hash, at, signature) VALUES (?, ?, ?, ?)",
                head10.treeSize(), head10.rootHash(), head10.at(), head10.signature());
        // The auditor kept the head of size 10 from before the rewrite: the new history does not extend it.
        outcome = offline(forked, proofs.consistency(10, 15), head10);

        assertThat(outcome.valid()).isFalse();
        assertThat(outcome.lines()).contains("tree head 15 does NOT extend tree head 10 (forked or rewritten history)");
        assertThat(db.verifier.verify()).satisfies(r -> {
            assertThat(r.intact()).isFalse();
            assertThat(r.reason()).isEqualTo("forked history: rows 1..10 do not have the root of their signed tree head");
        });
    }

    @Test
    void forkedHistoryWithoutTheBusKeyIsReportedAtTheSignedHead() {
        rewriteConsistentlyFrom(12);

        ChainVerification result = db.verifier.verify();

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).isEqualTo(15);
        assertThat(result.reason()).isEqualTo("forked history: rows 1..15 do not have the root of their signed tree head");
    }

    @Test
    void eachHeadHasTheRootOfTheRowsAsStoredEvenWhenTheRowsAlreadyHashedWereRewritten() {
        db.recordEvents(4);
        TreeHead head19 = db.treeHeads.take().orElseThrow();
        assertThat(head19.rootHash()).isEqualTo(rootOfStoredRows(19));
        // Rows 15..19 replaced by others with recomputed hashes: the signer does not reuse what it hashed before.
        db.jdbc.update("DELETE FROM audit_event WHERE seq > 14");
        db.jdbc.update("UPDATE audit_head SET seq = 14, hash = (SELECT hash FROM audit_event WHERE seq = 14) WHERE id = 1");
        db.recordEvents(6);

        TreeHead head20 = db.treeHeads.take().orElseThrow();

        assertThat(head20.treeSize()).isEqualTo(20);
        assertThat(head20.rootHash()).isEqualTo(rootOfStoredRows(20));
    }

    private String rootOfStoredRows(long size) {
        List<byte[]> leaves = new java.util.ArrayList<>();
        new AuditRows(db.jdbc).eachLeafHash(1, size, leaves::add);
        return java.util.HexFormat.of().formatHex(MerkleTree.root(leaves));
    }

    @Test
    void truncatedHistoryIsReportedAfterItsLastRow() {
        db.jdbc.update("DELETE FROM audit_event WHERE seq > 12");
        db.jdbc.update("UPDATE audit_head SET seq = 12, hash = (SELECT hash FROM audit_event WHERE seq = 12) WHERE id = 1");

        ChainVerification result = db.verifier.verify();

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).isEqualTo(13);
        assertThat(result.reason()).isEqualTo("truncated history: tree head 15 is signed but the trail ends at 12");
        assertThatThrownBy(() -> proofs.inclusion(3, 15L)).isInstanceOf(ReferralBusException.class);
    }

    @Test
    void truncatedHistoryReSignedWithTheBusKeyFailsTheProofsTheAuditorKept() {
        TreeHead kept = proofs.head(null);
        AuditProofs.InclusionProof keptInclusion = proofs.inclusion(14, null);
        // With database access and the bus key: drop rows 13..15 and their heads, sign the shorter trail, carry on.
        db.jdbc.update("DELETE FROM audit_event WHERE seq > 12");
        db.jdbc.update("UPDATE audit_head SET seq = 12, hash = (SELECT hash FROM audit_event WHERE seq = 12) WHERE id = 1");
        db.jdbc.update("DELETE FROM audit_tree_head WHERE tree_size > 10");
        TreeHead shorter = db.treeHeads.take().orElseThrow();
        assertThat(shorter.treeSize()).isEqualTo(12);
        assertThat(db.verifier.verify().intact()).as("the bus's own check is fooled once the heads are re-signed").isTrue();
        assertThatThrownBy(() -> proofs.consistency(15, 12)).as("no proof leads from a larger head to a smaller")
                .isInstanceOf(ReferralBusException.class);
        db.recordEvents(3);
        TreeHead resigned = db.treeHeads.take().orElseThrow();
        assertThat(resigned.treeSize()).isEqualTo(15);

        ProofVerifier.Outcome consistency = offline(resigned, proofs.consistency(15, 15), kept);
        ProofVerifier.Outcome inclusion = offline(resigned, keptInclusion, null);

        assertThat(consistency.valid()).isFalse();
        assertThat(consistency.lines()).contains("tree head 15 does NOT extend tree head 15 (forked or rewritten history)");
        assertThat(inclusion.valid()).isFalse();
        assertThat(inclusion.lines()).contains("event 14: NOT included in tree head 15 (the audit path does not lead to its root)");
        assertThat(offline(resigned, proofs.consistency(10, 15), head10).valid()).as("what was signed before row 13 still holds")
                .isTrue();
    }

    @Test
    void forgedHeadSignatureIsRefusedOffline() {
        TreeHead head = proofs.head(null);
        TreeHead other = new TreeHead(head.treeSize(), head10.rootHash(), head.at(), head.signature(), null);

        ProofVerifier.Outcome outcome = offline(other, proofs.inclusion(1, null), null);

        assertThat(outcome.valid()).isFalse();
        assertThat(outcome.lines().get(0)).contains("NOT signed by the bus");
    }

    @Test
    void commandLineChecksAnInclusionAndAConsistencyProofOffline() throws Exception {
        Path head = Files.write(dataDir.resolve("head.json"), json(proofs.head(null)));
        Path old = Files.write(dataDir.resolve("head-10.json"), json(head10));
        Path inclusion = Files.write(dataDir.resolve("inclusion.json"), json(proofs.inclusion(9, null)));
        Path consistency = Files.write(dataDir.resolve("consistency.json"), json(proofs.consistency(10, 15)));
        String bus = SampleKeys.certificate("bus", "bus").toString();

        StringWriter out = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(out), "audit", "verify-proof", "--head", head.toString(),
                "--proof", inclusion.toString(), "--bus-certificate", bus);
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("event 9 (ROUTED): included in tree head 15", "VALID");

        out = new StringWriter();
        exit = ReferralBusCommandLine.run(new PrintWriter(out), "audit", "verify-proof", "--head", head.toString(),
                "--old-head", old.toString(), "--proof", consistency.toString(), "--bus-certificate", bus);
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("tree head 15 extends tree head 10: consistent");

        Files.writeString(inclusion, Files.readString(inclusion).replace("shelter-dushanbe", "legal-aid-khujand"));
        out = new StringWriter();
        exit = ReferralBusCommandLine.run(new PrintWriter(out), "audit", "verify-proof", "--head", head.toString(),
                "--proof", inclusion.toString(), "--bus-certificate", bus);
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("event 9: its fields do not match its hash (tampered event)", "INVALID");

        out = new StringWriter();
        exit = ReferralBusCommandLine.run(new PrintWriter(out), "audit", "verify-proof", "--head", dataDir.resolve("none.json").toString(),
                "--proof", inclusion.toString(), "--bus-certificate", bus);
        assertThat(exit).isEqualTo(2);
        assertThat(out.toString()).startsWith("error: cannot read ").doesNotContain("Exception\n\tat");
    }

    /** What an administrator with database access (and perhaps the bus key) could do: re-chain rows from {@code seq}. */
    private void rewriteConsistentlyFrom(long seq) {
        List<Map<String, Object>> rows = db.jdbc.queryForList("SELECT seq, at, referral_id, actor FROM audit_event WHERE seq >= ? ORDER BY seq", seq);
        String prev = db.jdbc.queryForObject("SELECT prev_hash FROM audit_event WHERE seq = ?", String.class, seq);
        for (Map<String, Object> row : rows) {
            long s = ((Number) row.get("SEQ")).longValue();
            OffsetDateTime at = db.jdbc.queryForObject("SELECT at FROM audit_event WHERE seq = ?", OffsetDateTime.class, s);
            AuditEvent event = AuditEvent.of(AuditEventType.ROUTED, (String) row.get("REFERRAL_ID"), (String) row.get("ACTOR"))
                    .withCounterpart("legal-aid-khujand").withDetail("regional:SHELTER");
            String hash = AuditChain.hash(s, at, event, prev);
            db.jdbc.update("UPDATE audit_event SET counterpart = 'legal-aid-khujand', prev_hash = ?, hash = ? WHERE seq = ?", prev, hash, s);
            prev = hash;
        }
        db.jdbc.update("UPDATE audit_head SET hash = ? WHERE id = 1", prev);
    }

    private static ProofVerifier.Outcome offline(TreeHead head, Object proof, TreeHead oldHead) {
        return new ProofVerifier(BUS, null).verify(json(head), JSON.writeValueAsBytes(proof), oldHead == null ? null : json(oldHead));
    }

    private static byte[] json(Object value) {
        return JSON.writeValueAsBytes(value);
    }
}

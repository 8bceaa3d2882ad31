package org.referralbus.audit;

import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks, offline, what the auditor API handed out: a signed tree head ({@code /tree-head}) and an inclusion
 * proof ({@code /proofs/inclusion}) or a consistency proof ({@code /proofs/consistency}) from an older head.
 *
 * <p>Implementation note: nothing is taken on trust from the bus but its certificate (and the authority's, for
 * anchors). A head counts only if the bus signed its line; an event counts only if its fields hash to its chain
 * hash ({@link AuditChain#hash}); its leaf is RFC 6962's hash of that chain hash's 32 bytes, and the audit path
 * must lead from it to the signed root. A consistency proof must lead from the older signed root to the newer.
 */
public final class ProofVerifier {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HexFormat HEX = HexFormat.of();

    /** @param lines what was checked, one finding a line */
    public record Outcome(boolean valid, List<String> lines) {
    }

    private final BusSignatures busSignatures;
    private final X509Certificate authority;
    private final List<String> lines = new ArrayList<>();
    private boolean valid = true;

    /** @param authority the time-stamping authority's certificate, or null not to check anchors */
    public ProofVerifier(X509Certificate busCertificate, X509Certificate authority) {
        this(BusSignatures.of(busCertificate), authority);
    }

    /** With every bus certificate the heads may be signed by: a consistency proof may span a rotation of the bus key. */
    public ProofVerifier(BusSignatures busSignatures, X509Certificate authority) {
        this.busSignatures = busSignatures;
        this.authority = authority;
    }

    /** {@code oldHead} is needed for a consistency proof, and refused with an inclusion proof (which cannot check it). */
    public Outcome verify(byte[] headJson, byte[] proofJson, byte[] oldHeadJson) {
        TreeHead head = head(JSON.readTree(headJson));
        JsonNode proof = JSON.readTree(proofJson);
        if (proof.has("auditPath")) {
            if (oldHeadJson != null) {
                // Checked nothing of it: saying VALID would vouch for an older head no one looked at.
                fail("an older tree head (--old-head) was given with an inclusion proof, which does not check it: give the "
                        + "consistency proof between the two heads, or leave --old-head out");
            }
            inclusion(head, proof);
        } else if (proof.has("proof")) {
            if (oldHeadJson == null) {
                fail("a consistency proof needs the older tree head (--old-head)");
            } else {
                consistency(head(JSON.readTree(oldHeadJson)), head, proof);
            }
        } else {
            fail("the proof file is neither an inclusion proof (auditPath) nor a consistency proof (proof)");
        }
        return new Outcome(valid, List.copyOf(lines));
    }

    private TreeHead head(JsonNode node) {
        TreeHead head = new TreeHead(node.path("treeSize").asLong(), node.path("rootHash").asString(),
                OffsetDateTime.parse(node.path("at").asString()), base64(node.path("signature")), base64(node.path("timestampToken")));
        if (busSignatures.signed(head.line(), head.signature(), head.at())) {
            lines.add("tree head " + head.treeSize() + " root " + head.rootHash() + ": signed by the bus");
        } else {
            fail("tree head " + head.treeSize() + ": NOT signed by the bus certificate given (forged or altered head)");
        }
        if (authority != null) {
            if (TimestampAnchor.verify(head.timestampToken(), head.line(), authority)) {
                lines.add("tree head " + head.treeSize() + ": timestamped by " + authority.getSubjectX500Principal().getName());
            } else {
                fail("tree head " + head.treeSize() + ": never anchored (no timestamp token of this authority over it)");
            }
        }
        return head;
    }

    private void inclusion(TreeHead head, JsonNode proof) {
        JsonNode event = proof.path("event");
        long seq = event.path("seq").asLong();
        if (proof.path("treeSize").asLong() != head.treeSize()) {
            fail("the proof is for tree size " + proof.path("treeSize").asLong() + ", the head has " + head.treeSize());
            return;
        }
        String hash = event.path("hash").asString();
        AuditEvent fields = event(event);
        if (fields == null || !AuditChain.hash(seq, OffsetDateTime.parse(event.path("at").asString()), fields,
                event.path("prevHash").asString()).equals(hash)) {
            fail("event " + seq + ": its fields do not match its hash (tampered event)");
            return;
        }
        byte[] leaf = MerkleTree.leafHash(HEX.parseHex(hash));
        if (MerkleTree.verifyInclusion(seq - 1, head.treeSize(), leaf, hashes(proof.path("auditPath")), HEX.parseHex(head.rootHash()))) {
            lines.add("event " + seq + " (" + event.path("type").asString() + "): included in tree head " + head.treeSize());
        } else {
            fail("event " + seq + ": NOT included in tree head " + head.treeSize() + " (the audit path does not lead to its root)");
        }
    }

    private void consistency(TreeHead older, TreeHead newer, JsonNode proof) {
        if (proof.path("firstSize").asLong() != older.treeSize() || proof.path("secondSize").asLong() != newer.treeSize()) {
            fail("the proof is from size " + proof.path("firstSize").asLong() + " to " + proof.path("secondSize").asLong()
                    + ", the heads have " + older.treeSize() + " and " + newer.treeSize());
            return;
        }
        if (MerkleTree.verifyConsistency(older.treeSize(), newer.treeSize(), HEX.parseHex(older.rootHash()),
                HEX.parseHex(newer.rootHash()), hashes(proof.path("proof")))) {
            lines.add("tree head " + newer.treeSize() + " extends tree head " + older.treeSize() + ": consistent");
        } else {
            fail("tree head " + newer.treeSize() + " does NOT extend tree head " + older.treeSize() + " (forked or rewritten history)");
        }
    }

    /** Null when the type is none the bus writes. */
    private static AuditEvent event(JsonNode event) {
        AuditEventType type;
        try {
            type = AuditEventType.valueOf(event.path("type").asString());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
        return new AuditEvent(type, text(event, "referralId"), text(event, "actor"),
                text(event, "counterpart"), text(event, "envelopeSha256"), text(event, "detail"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asString();
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> hashes = new ArrayList<>();
        array.forEach(h -> hashes.add(HEX.parseHex(h.asString())));
        return hashes;
    }

    private static byte[] base64(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : Base64.getDecoder().decode(node.asString());
    }

    private void fail(String line) {
        valid = false;
        lines.add(line);
    }
}

package org.referralbus.audit;

import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Signed tree heads and Merkle proofs for auditors (OU=auditor over mutual TLS, like the rest of
 * {@code /api/v1/audit}). Every answer can be checked offline with the bus certificate alone; each query is audited.
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditProofController {

    private final AuditProofs proofs;
    private final AuditorQueryLog queryLog;

    AuditProofController(AuditProofs proofs, AuditorQueryLog queryLog) {
        this.proofs = proofs;
        this.queryLog = queryLog;
    }

    @GetMapping("/tree-head")
    TreeHead treeHead(Principal auditor, @RequestParam(required = false) Long treeSize) {
        TreeHead head = proofs.head(treeSize);
        queryLog.queried(auditor.getName(), "tree-head:" + head.treeSize(), null);
        return head;
    }

    @GetMapping("/proofs/inclusion")
    AuditProofs.InclusionProof inclusion(Principal auditor, @RequestParam long seq, @RequestParam(required = false) Long treeSize) {
        AuditProofs.InclusionProof proof = proofs.inclusion(seq, treeSize);
        queryLog.queried(auditor.getName(), "inclusion:" + seq + "@" + proof.treeSize(), proof.event().referralId());
        return proof;
    }

    @GetMapping("/proofs/consistency")
    AuditProofs.ConsistencyProof consistency(Principal auditor, @RequestParam long from, @RequestParam long to) {
        AuditProofs.ConsistencyProof proof = proofs.consistency(from, to);
        queryLog.queried(auditor.getName(), "consistency:" + from + "-" + to, null);
        return proof;
    }
}

package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same chain on PostgreSQL, the production database: concurrent writers on two pools (two instances), then
 * verification, a checkpoint and tampering. Uses a throwaway schema on 127.0.0.1:5432/test; skipped when no
 * PostgreSQL is reachable there.
 */
class PostgresAuditChainTest {

    private ThrowawayPostgresSchema schema;

    @BeforeEach
    void needsPostgres() {
        schema = ThrowawayPostgresSchema.named("audit_test_");
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void twoInstancesWriteOneChainThatVerifiesAndTamperingIsCaught() throws Exception {
        try (TrailDatabase a = schema.open();
             TrailDatabase b = schema.open()) {
            ExecutorService threads = Executors.newFixedThreadPool(6);
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                TrailDatabase instance = i % 2 == 0 ? a : b;
                writers.add(threads.submit(() -> instance.recordEvents(20)));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            threads.shutdown();
            assertThat(a.checkpoints.take()).isPresent();
            assertThat(a.treeHeads.take()).hasValueSatisfying(h -> assertThat(h.treeSize()).isEqualTo(120));
            assertThat(b.treeHeads.take()).as("the other instance finds the head signed").isEmpty();

            assertThat(b.verifier.verify()).isEqualTo(new ChainVerification(true, 120, null, null));
            AuditProofs proofs = new AuditProofs(b.jdbc, b.treeHeads);
            assertThat(MerkleTree.verifyInclusion(76, 120, java.util.HexFormat.of().parseHex(proofs.inclusion(77, null).leafHash()),
                    proofs.inclusion(77, null).auditPath().stream().map(java.util.HexFormat.of()::parseHex).toList(),
                    java.util.HexFormat.of().parseHex(proofs.head(null).rootHash()))).isTrue();

            a.jdbc.update("UPDATE audit_event SET detail = 'national:SHELTER' WHERE seq = 77");
            ChainVerification broken = b.verifier.verify();
            assertThat(broken.firstBrokenSeq()).isEqualTo(77);
            assertThat(broken.reason()).startsWith("edited row");
        }
    }

}

package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The offline walk of a saved export: the same verdicts as the database verifier, from the JSON lines alone. */
class ExportChainVerifierTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void anIntactExportFromTheGenesisIsIntact() {
        assertThat(ExportChainVerifier.verify(export(trail(5)))).isEqualTo(new ChainVerification(true, 5, null, null));
    }

    @Test
    void aLaterRangeProvesItsOwnRows() {
        assertThat(ExportChainVerifier.verify(export(trail(6).subList(2, 6))).intact()).isTrue();
    }

    @Test
    void aDeletedRowIsReportedWhereTheSequenceJumps() {
        List<AuditRecord> rows = new ArrayList<>(trail(5));
        rows.remove(2);
        ChainVerification result = ExportChainVerifier.verify(export(rows));
        assertThat(result.firstBrokenSeq()).isEqualTo(3);
        assertThat(result.reason()).startsWith("deleted rows");
    }

    @Test
    void anEditedRowIsReportedAtItsSequence() {
        List<AuditRecord> rows = new ArrayList<>(trail(5));
        AuditRecord r = rows.get(3);
        rows.set(3, new AuditRecord(r.seq(), r.at(), r.type(), r.referralId(), "someone-else", r.counterpart(), r.envelopeSha256(),
                r.detail(), r.hash(), r.prevHash()));
        ChainVerification result = ExportChainVerifier.verify(export(rows));
        assertThat(result.firstBrokenSeq()).isEqualTo(4);
        assertThat(result.reason()).startsWith("edited row");
    }

    @Test
    void aReplacedFirstRowDoesNotStartTheChain() {
        List<AuditRecord> rows = new ArrayList<>(trail(3));
        AuditRecord r = rows.get(0);
        rows.set(0, new AuditRecord(1, r.at(), r.type(), r.referralId(), r.actor(), null, null, null, r.hash(), "f".repeat(64)));
        assertThat(ExportChainVerifier.verify(export(rows)).firstBrokenSeq()).isEqualTo(1);
    }

    @Test
    void aLineThatIsNotJsonIsBroken() {
        byte[] bytes = (new String(export(trail(2)), StandardCharsets.UTF_8) + "not json\n").getBytes(StandardCharsets.UTF_8);
        assertThat(ExportChainVerifier.verify(bytes).intact()).isFalse();
    }

    private static List<AuditRecord> trail(int length) {
        List<AuditRecord> rows = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        OffsetDateTime at = OffsetDateTime.of(2026, 12, 3, 1, 0, 0, 123_456_000, ZoneOffset.UTC);
        for (long seq = 1; seq <= length; seq++) {
            AuditEvent event = new AuditEvent(AuditEventType.ROUTED, "r-" + seq, "border-service", "shelter-dushanbe", null, "regional:SHELTER");
            String hash = AuditChain.hash(seq, at.plusSeconds(seq), event, prev);
            rows.add(new AuditRecord(seq, at.plusSeconds(seq), event.type().name(), event.referralId(), event.actor(), event.counterpart(),
                    null, event.detail(), hash, prev));
            prev = hash;
        }
        return rows;
    }

    private static byte[] export(List<AuditRecord> rows) {
        StringBuilder out = new StringBuilder();
        rows.forEach(r -> out.append(JSON.writeValueAsString(r)).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}

package org.referralbus.audit;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Walks a saved export (JSON lines, as {@code GET /api/v1/audit/export} writes them) with no database and no bus.
 *
 * <p>Implementation note: the same rules as {@link AuditChainVerifier} within the exported range: seq numbers
 * follow each other, each row's prev_hash is the hash of the row before it, each hash is {@link AuditChain#hash}
 * recomputed from the row's own fields. The first row's prev_hash can only be checked against the genesis value
 * when the export starts at seq 1; an export of a later range proves its rows, not what came before them. Who
 * produced the bytes is the detached signature's job, checked by the caller before this walk.
 */
public final class ExportChainVerifier {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ExportChainVerifier() {
    }

    public static ChainVerification verify(byte[] export) {
        String[] lines = new String(export, StandardCharsets.UTF_8).split("\n");
        long checked = 0;
        long lastSeq = -1;
        String prevHash = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            checked++;
            JsonNode row;
            try {
                row = JSON.readTree(line);
            } catch (RuntimeException e) {
                return ChainVerification.broken(checked, lastSeq + 1, "unreadable line " + checked + ": not a JSON row of the export");
            }
            long seq = row.path("seq").asLong();
            String storedPrev = text(row, "prevHash");
            String storedHash = text(row, "hash");
            if (lastSeq < 0) {
                if (seq == 1 && !AuditChain.GENESIS.equals(storedPrev)) {
                    return ChainVerification.broken(checked, seq, "edited row: the first row does not start the chain");
                }
            } else if (seq != lastSeq + 1) {
                return ChainVerification.broken(checked, lastSeq + 1, seq > lastSeq + 1
                        ? "deleted rows: sequence jumps from " + lastSeq + " to " + seq
                        : "reordered rows: seq " + seq + " follows " + lastSeq);
            } else if (!prevHash.equals(storedPrev)) {
                return ChainVerification.broken(checked, seq, "deleted or replaced row: prev_hash of " + seq + " is not the hash of " + lastSeq);
            }
            AuditEvent event;
            OffsetDateTime at;
            try {
                event = new AuditEvent(AuditEventType.valueOf(text(row, "type")), text(row, "referralId"), text(row, "actor"),
                        text(row, "counterpart"), text(row, "envelopeSha256"), text(row, "detail"));
                at = OffsetDateTime.parse(text(row, "at"));
            } catch (RuntimeException e) {
                return ChainVerification.broken(checked, seq, "edited row: type or time of " + seq + " is not one the bus writes");
            }
            if (storedHash == null || !AuditChain.hash(seq, at, event, storedPrev == null ? "" : storedPrev).equals(storedHash)) {
                return ChainVerification.broken(checked, seq, "edited row: hash of " + seq + " does not match its content");
            }
            prevHash = storedHash;
            lastSeq = seq;
        }
        return ChainVerification.intact(checked);
    }

    private static String text(JsonNode row, String field) {
        JsonNode value = row.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asString();
    }
}

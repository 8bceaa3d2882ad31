package org.referralbus.audit;

import java.time.OffsetDateTime;

/** One stored row of the trail, as auditors see it: ids, codes and hashes only. */
record AuditRecord(long seq, OffsetDateTime at, String type, String referralId, String actor, String counterpart,
                   String envelopeSha256, String detail, String hash, String prevHash) {
}

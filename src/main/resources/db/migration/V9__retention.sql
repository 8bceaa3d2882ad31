-- Issue 17: sealed envelopes are kept only while needed. After retention or an erasure request the sealed bytes are
-- removed; ids, states and hashes stay (and the audit trail is never touched), so receipts, statuses, statistics and
-- the trail's verification keep working.

-- Which of the two removed the sender's sealed envelope (RETENTION or ERASURE), and when; null while it is kept.
ALTER TABLE referral ADD COLUMN envelope_removed VARCHAR(16);
ALTER TABLE referral ADD COLUMN envelope_removed_at TIMESTAMP WITH TIME ZONE;

-- A provider's sealed copy is removed with the referral's envelope; the row (ids, state, envelope_sha256) remains.
ALTER TABLE delivery ALTER COLUMN sealed_envelope DROP NOT NULL;
CREATE INDEX referral_by_envelope_kept ON referral (envelope_removed);

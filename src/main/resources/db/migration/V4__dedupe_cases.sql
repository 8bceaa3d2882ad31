-- Issue 4: referral versions, case linking and the memory of person keys. Still nothing readable about a person:
-- case ids are random-looking UUIDs and person keys are HMAC-SHA256 values under a secret only the bus holds.

-- Which case a referral belongs to, whether it joined a case another referral had opened, and its version when it
-- updates (supersedes) an earlier referral of the same sender. lease_until lets one bus instance finish a referral
-- while another instance that got the same submission waits for the receipt instead of delivering a second time.
ALTER TABLE referral ADD COLUMN case_id VARCHAR(36);
ALTER TABLE referral ADD COLUMN linked_to_existing_case BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE referral ADD COLUMN referral_version INT DEFAULT 1 NOT NULL;
ALTER TABLE referral ADD COLUMN supersedes VARCHAR(36);
ALTER TABLE referral ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX referral_by_case ON referral (case_id);

-- Keyed hashes of normalised identity attributes, one row per key and case. Purged after the person window.
CREATE TABLE person_key (
    key_hash   CHAR(64)     NOT NULL,
    case_id    VARCHAR(36)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (key_hash, case_id)
);
CREATE INDEX person_key_by_created ON person_key (created_at);
CREATE INDEX processed_envelope_by_created ON CAMEL_MESSAGEPROCESSED (createdAt);

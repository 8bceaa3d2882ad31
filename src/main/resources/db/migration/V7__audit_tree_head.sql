-- Issue 17: signed tree heads (RFC 6962 Merkle tree over the trail's row hashes) with their outside anchors, and
-- room for TOTP secrets encrypted at rest.

-- One row per signed head. signature = detached CMS SignedData (DER) by the bus key over the canonical line
-- "referral-bus audit tree head v1 size=<size> root=<root> at=<at>\n" (see TreeHeads). timestamp_token = the
-- RFC 3161 token (DER) a time-stamping authority returned for SHA-256 of that line, null until anchored.
CREATE TABLE audit_tree_head (
    tree_size       BIGINT       NOT NULL PRIMARY KEY,
    root_hash       CHAR(64)     NOT NULL,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    signature       BYTEA        NOT NULL,
    timestamp_token BYTEA
);

-- "v1:" + base64(nonce || AES-256-GCM ciphertext || tag) is longer than the base32 secret it replaces.
ALTER TABLE auditor_account ALTER COLUMN totp_secret SET DATA TYPE VARCHAR(160);

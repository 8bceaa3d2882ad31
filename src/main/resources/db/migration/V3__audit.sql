-- Issue 5: signed checkpoints of the audit chain, auditor accounts for the console, indexes for auditor queries.

-- One row per signed head. signature = detached CMS SignedData (DER) by the bus key over the canonical line
-- "referral-bus audit checkpoint v1 seq=<seq> hash=<hash> at=<at>\n" (see AuditCheckpoints).
CREATE TABLE audit_checkpoint (
    seq       BIGINT       NOT NULL PRIMARY KEY,
    hash      CHAR(64)     NOT NULL,
    at        TIMESTAMP WITH TIME ZONE NOT NULL,
    signature BYTEA        NOT NULL
);

-- Console sign-in: password hash (Spring Security delegating encoder, bcrypt) and RFC 6238 TOTP secret.
-- last_totp_step stops a code from being replayed within its validity window.
CREATE TABLE auditor_account (
    username       VARCHAR(64)  NOT NULL PRIMARY KEY,
    password_hash  VARCHAR(128) NOT NULL,
    totp_secret    VARCHAR(64)  NOT NULL,
    last_totp_step BIGINT       NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX audit_by_type ON audit_event (event_type, at);
CREATE INDEX audit_by_actor ON audit_event (actor);
CREATE INDEX audit_by_counterpart ON audit_event (counterpart);
CREATE INDEX audit_by_envelope ON audit_event (envelope_sha256);

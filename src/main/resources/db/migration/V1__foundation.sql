-- Nothing readable about a person is ever stored here: only ids, hashes, codes and sealed bytes.

-- Camel's JdbcMessageIdRepository (idempotent consumer over envelope hashes).
CREATE TABLE CAMEL_MESSAGEPROCESSED (
    processorName VARCHAR(255) NOT NULL,
    messageId     VARCHAR(100) NOT NULL,
    createdAt     TIMESTAMP    NOT NULL,
    PRIMARY KEY (processorName, messageId)
);

-- One row per (sender, referralId): the dedupe key of a referral and its signed receipt.
CREATE TABLE referral (
    sender          VARCHAR(64)  NOT NULL,
    referral_id     VARCHAR(36)  NOT NULL,
    content_sha256  CHAR(64)     NOT NULL,
    envelope_sha256 CHAR(64)     NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    receipt_json    VARCHAR(1024),
    receipt_signature BYTEA,
    PRIMARY KEY (sender, referral_id)
);
CREATE INDEX referral_by_envelope ON referral (envelope_sha256);

-- One row per sealed copy handed to a provider. The id is derived from the referral, so a retry
-- produces the same delivery id (and the broker's duplicate detection drops the second copy).
CREATE TABLE delivery (
    delivery_id     VARCHAR(36)  NOT NULL PRIMARY KEY,
    sender          VARCHAR(64)  NOT NULL,
    referral_id     VARCHAR(36)  NOT NULL,
    provider_id     VARCHAR(64)  NOT NULL,
    services        VARCHAR(512) NOT NULL,
    rule            VARCHAR(128) NOT NULL,
    channel         VARCHAR(16)  NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    envelope_sha256 CHAR(64)     NOT NULL,
    sealed_envelope BYTEA        NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX delivery_by_referral ON delivery (sender, referral_id);
CREATE INDEX delivery_by_provider ON delivery (provider_id, state);

-- The hash-chained audit trail. Rows are only ever inserted; audit_head serialises writers from
-- several bus instances (SELECT ... FOR UPDATE) so the sequence stays gap-free.
CREATE TABLE audit_event (
    seq             BIGINT       NOT NULL PRIMARY KEY,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    event_type      VARCHAR(32)  NOT NULL,
    referral_id     VARCHAR(36),
    actor           VARCHAR(64),
    counterpart     VARCHAR(64),
    envelope_sha256 CHAR(64),
    detail          VARCHAR(256),
    prev_hash       CHAR(64)     NOT NULL,
    hash            CHAR(64)     NOT NULL
);
CREATE INDEX audit_by_referral ON audit_event (referral_id);

CREATE TABLE audit_head (
    id   INT      NOT NULL PRIMARY KEY,
    seq  BIGINT   NOT NULL,
    hash CHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

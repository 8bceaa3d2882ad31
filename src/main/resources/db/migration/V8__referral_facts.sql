-- Issue 17: what statistics may count. One row per referral (an update that supersedes an earlier referral is not a
-- new referral and has none). Only codes that many people share: never a name, a birth date, a district, a phone or
-- free text. The age is kept only as its band at intake; the person only as the case id (a UUID that says nothing).
CREATE TABLE referral_facts (
    sender        VARCHAR(64)  NOT NULL,
    referral_id   VARCHAR(36)  NOT NULL,
    case_id       VARCHAR(36),
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    category      VARCHAR(32)  NOT NULL,
    exploitation  VARCHAR(160) NOT NULL,
    sex           VARCHAR(16)  NOT NULL,
    age_band      VARCHAR(16)  NOT NULL,
    nationality   VARCHAR(8)   NOT NULL,
    region        VARCHAR(16)  NOT NULL,
    services      VARCHAR(256) NOT NULL,
    outcome       VARCHAR(16)  NOT NULL,
    accepted_at   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (sender, referral_id)
);
CREATE INDEX referral_facts_by_received ON referral_facts (received_at);

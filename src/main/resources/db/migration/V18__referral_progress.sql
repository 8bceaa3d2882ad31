-- Issue 13 (cost flat as the data grows): where each referral stands, for the auditor's console. Derived from the
-- audit trail alone (ids, step names and times; nothing about the person) by audit/ReferralProgressProjection, which
-- folds only the trail rows appended since its position. Before this, every console request read the whole trail
-- and held one entry per referral ever received in memory. Can be dropped and rebuilt from the trail at any time.
CREATE TABLE referral_progress (
    referral_id  VARCHAR(36)  NOT NULL PRIMARY KEY,
    sender       VARCHAR(64),
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_step    VARCHAR(32)  NOT NULL,
    last_step_at TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at TIMESTAMP WITH TIME ZONE,
    accepted_at  TIMESTAMP WITH TIME ZONE,
    -- provider ids, comma-separated: those it was delivered to (first delivery first), and those still to answer;
    -- room for a thousand ids of 64 characters, so that no re-routing can make a fold fail
    providers    VARCHAR(65535) NOT NULL,
    awaiting     VARCHAR(65535) NOT NULL,
    finished     BOOLEAN      NOT NULL
);
CREATE INDEX referral_progress_by_received ON referral_progress (received_at);
CREATE INDEX referral_progress_unfinished ON referral_progress (finished, last_step_at);

-- The last trail seq folded into referral_progress; locked while folding, so one node folds at a time.
CREATE TABLE referral_progress_position (
    id  INT    NOT NULL PRIMARY KEY,
    seq BIGINT NOT NULL
);
INSERT INTO referral_progress_position (id, seq) VALUES (1, 0);

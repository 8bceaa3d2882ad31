-- Issue 13: start-up cost flat as the data grows. FactsBackfill used to walk every referral at every start; it now
-- reads only referrals received since the last completed pass: `checked_before` (one row) says every first-filed
-- referral received before it has its facts or was found unreadable. The index serves that range.
CREATE TABLE facts_backfill (
    id             INT PRIMARY KEY,
    checked_before TIMESTAMP WITH TIME ZONE NOT NULL,
    CHECK (id = 1)
);
CREATE INDEX referral_by_received ON referral (received_at);

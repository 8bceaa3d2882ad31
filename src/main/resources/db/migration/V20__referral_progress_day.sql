-- Issue 13 (cost flat as the data grows): the console's per-day chart read one row per referral ever received on
-- each request (0.5 s with 200 000 referrals, growing for years). referral_progress_day holds its counts, referrals
-- received per UTC day and sender, kept by the same fold as referral_progress (audit/ReferralProgressProjection), so
-- the chart reads one row per day and sender. Derived from the trail alone, like the progress: the progress is
-- emptied and its position set back to row 1 here, so the first fold after this upgrade fills both from the trail.
CREATE TABLE referral_progress_day (
    received_on DATE      NOT NULL,
    sender    VARCHAR(64) NOT NULL,
    referrals INTEGER     NOT NULL,
    PRIMARY KEY (received_on, sender)
);
DELETE FROM referral_progress;
UPDATE referral_progress_position SET seq = 0;

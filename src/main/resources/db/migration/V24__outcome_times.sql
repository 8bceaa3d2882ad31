-- Outcome cells that never change once given (docs/statistics.md, "Outcomes are counted as of a cut-off"): a period's
-- referrals count with the outcome they had at a fixed cut-off after the period, so the bus must know when each
-- outcome was reached, not only where a referral stands now. accepted_at (V8) already times the first acceptance;
-- these two time the first decline and the first escalation, each set only when it strengthened the outcome (a decline
-- after an acceptance changes nothing and is not timed). Times only, as accepted_at: nothing of the person.
ALTER TABLE referral_facts ADD COLUMN declined_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE referral_facts ADD COLUMN escalated_at TIMESTAMP WITH TIME ZONE;

-- Facts stored before this migration: the time comes from the needs' history (the same source FactsBackfill reads),
-- the first row of that state not preceded by a stronger one. Where the history has none (a need escalated with no
-- open need left, rows of a test database), the time stays NULL and the outcome the row holds counts as reached at
-- receipt (Fact#reachedAt), as if it had been final from the start. Chosen over "the time of this migration": that would
-- date every known outcome of every old period after its cut-off and turn the outcome cells of all closed periods into
-- PENDING at the upgrade, a jump in numbers already published; dating it at receipt keeps those cells as they were.
UPDATE referral_facts SET declined_at = (SELECT MIN(h.at) FROM referral_need_history h
        WHERE h.sender = referral_facts.sender AND h.referral_id = referral_facts.referral_id AND h.state = 'DECLINED'
        AND NOT EXISTS (SELECT 1 FROM referral_need_history s WHERE s.sender = h.sender AND s.referral_id = h.referral_id
                        AND s.state IN ('ESCALATED', 'ACCEPTED', 'CLOSED') AND s.at <= h.at))
    WHERE outcome IN ('DECLINED', 'ESCALATED', 'ACCEPTED');
UPDATE referral_facts SET escalated_at = (SELECT MIN(h.at) FROM referral_need_history h
        WHERE h.sender = referral_facts.sender AND h.referral_id = referral_facts.referral_id AND h.state = 'ESCALATED'
        AND NOT EXISTS (SELECT 1 FROM referral_need_history s WHERE s.sender = h.sender AND s.referral_id = h.referral_id
                        AND s.state IN ('ACCEPTED', 'CLOSED') AND s.at <= h.at))
    WHERE outcome IN ('ESCALATED', 'ACCEPTED');
UPDATE referral_facts SET accepted_at = (SELECT MIN(h.at) FROM referral_need_history h
        WHERE h.sender = referral_facts.sender AND h.referral_id = referral_facts.referral_id AND h.state IN ('ACCEPTED', 'CLOSED'))
    WHERE outcome = 'ACCEPTED' AND accepted_at IS NULL;

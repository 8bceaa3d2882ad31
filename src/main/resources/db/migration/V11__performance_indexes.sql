-- Issue 13: cost per referral flat as the data grows. Each copy handed over moves its needs by delivery id
-- (NeedLedger.transition and needsOfDelivery), which without this index read every need ever stored.
CREATE INDEX need_by_delivery ON referral_need (delivery_id);

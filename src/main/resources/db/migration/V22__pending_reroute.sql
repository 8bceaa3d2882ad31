-- A declined or escalated need whose re-routing has not finished. Written in the same transaction as the decline or
-- escalation; removed when the reroute route has routed the needs on (or found nobody left to take them). A failure
-- or a crash between the two (broker down, kill -9) used to leave the need declined with no successor, which the
-- retention run then counted as closed. StrandedReroutes re-routes what is left here. One row per need and the
-- delivery that gave it up; rows exist only while a re-routing is due, so a new referral never touches this table.
-- since: when the re-routing became due (never changes: the age an operator alerts on). next_try: when the sweep may
-- take it (a grace after it became due or was last taken, so the sweep never races a running attempt; at once
-- after an attempt failed).
CREATE TABLE pending_reroute (
    delivery_id  VARCHAR(36) NOT NULL,
    service      VARCHAR(32) NOT NULL,
    sender       VARCHAR(64) NOT NULL,
    referral_id  VARCHAR(36) NOT NULL,
    escalation   VARCHAR(96),
    since        TIMESTAMP WITH TIME ZONE NOT NULL,
    next_try     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (delivery_id, service)
);
CREATE INDEX pending_reroute_by_referral ON pending_reroute (sender, referral_id);

-- Needs stranded before this release: a decline or escalation by a provider other than the coordinator always moves
-- the need on (to the next provider, else the coordinator), so one still DECLINED or ESCALATED at that provider's
-- delivery never got there. Only while the sender's envelope is kept (the bus cannot re-route without it). The sweep
-- re-routes them after the first start. Assumes the coordinator's default id 'coordinator'; under another id, needs
-- the coordinator itself declined are routed to it once more.
INSERT INTO pending_reroute (delivery_id, service, sender, referral_id, escalation, since, next_try)
SELECT n.delivery_id, n.service, n.sender, n.referral_id,
       CASE WHEN n.state = 'ESCALATED' THEN COALESCE(d.ack_reason, 'ESCALATED') END,
       CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM referral_need n
JOIN delivery d ON d.delivery_id = n.delivery_id
JOIN referral r ON r.sender = n.sender AND r.referral_id = n.referral_id
WHERE n.state IN ('DECLINED', 'ESCALATED') AND n.provider_id <> 'coordinator' AND r.envelope IS NOT NULL;

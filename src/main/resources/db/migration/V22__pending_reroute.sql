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

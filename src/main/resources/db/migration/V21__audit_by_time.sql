-- Issue 13 (cost flat as the data grows): an auditor's time-range filter (GET /api/v1/audit/events?from=&to=, without a
-- type) read the whole trail for its total and again for each page: 1.3 s and 4.1 s for the last minute's four rows of
-- a 1.8 million-row trail. The trail is appended in time order, so this index grows at its end like the primary key.
-- Building it on a trail that long takes about 11 s at the first start after the upgrade.
CREATE INDEX audit_by_time ON audit_event (at);

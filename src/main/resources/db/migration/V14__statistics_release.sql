-- Issue 17: what statistics have released, per grid period: each cell as its predicate (dimension codes only, e.g.
-- "sex=FEMALE;region=SUGHD", never a count) and whether it was published or suppressed. Later queries are checked
-- jointly against it, so sibling queries (category,sex then sex,region then category,region) cannot be combined
-- to recover a suppressed cell.
CREATE TABLE statistics_release (
    grid          VARCHAR(8)   NOT NULL,
    period_start  DATE         NOT NULL,
    predicate     VARCHAR(512) NOT NULL,
    published     BOOLEAN      NOT NULL,
    released_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (grid, period_start, predicate)
);

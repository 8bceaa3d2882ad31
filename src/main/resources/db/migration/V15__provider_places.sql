-- Issue 14: a provider's declared capacity holds across bus nodes. Routing counts a capped provider's open cases and
-- claims a place in one transaction, under a lock on that provider's row here (routing/ProviderPlaces,
-- SELECT ... FOR UPDATE, H2 and PostgreSQL alike); rows are added the first time a capped provider is routed to.
CREATE TABLE provider_capacity_lock (
    provider_id VARCHAR(64) PRIMARY KEY
);

-- A place routing claimed for a referral at a capped provider, counted with the provider's open deliveries until the
-- copy's delivery row replaces it (same transaction) or it expires (an attempt that died between routing and
-- delivery). Ids only: nothing about the person.
CREATE TABLE provider_place (
    provider_id VARCHAR(64) NOT NULL,
    sender      VARCHAR(64) NOT NULL,
    referral_id VARCHAR(36) NOT NULL,
    claimed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (provider_id, sender, referral_id)
);

-- A provider id may have 63 characters (ParticipantIdentity), but an escalation's reason names it after a prefix
-- (NO_ACK:<id>, WEBHOOK_FAILED:<id>) and was cut at 32 characters on the delivery and 64 in the need's history: the
-- escalation failed, and a webhook copy that could not be pushed stayed with its provider for good. A provider's
-- copy that owns several needs by a long rule each (linked-case:CHILD_PROTECTION,…) could pass 128.
ALTER TABLE delivery ALTER COLUMN ack_reason SET DATA TYPE VARCHAR(128);
ALTER TABLE referral_need_history ALTER COLUMN detail SET DATA TYPE VARCHAR(128);
ALTER TABLE delivery ALTER COLUMN rule SET DATA TYPE VARCHAR(512);

-- A provider reports a case closed (issue 15): the delivery moves ACCEPTED -> CLOSED and stops counting against the
-- provider's capacity at once. Only the time is kept: why a case closed is the provider's own record.
ALTER TABLE delivery ADD COLUMN closed_at TIMESTAMP WITH TIME ZONE;

-- Issue 13: cost per referral flat as the data grows. Routing to a provider with a capacity counts its copies created
-- within the capacity window that still hold a place (DeliveryLedger.openSince): one range of this index per state.
-- With (provider_id, state) and state IN (…), each routing read every copy the provider ever had, answered or not.
-- It replaces that index, of which it is an extension, so a copy's state change still updates one provider index.
CREATE INDEX delivery_open_by_provider ON delivery (provider_id, state, created_at);
DROP INDEX delivery_by_provider;

package org.referralbus.routing;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;

/**
 * Open cases per provider, asked of the feature that owns the deliveries (it depends on routing, so routing only
 * names what it needs). A case counts while a copy for it is sealed, delivered, fetched or accepted and was created
 * after {@code since}; declined and escalated copies free the place at once.
 */
public interface OpenCases {

    /** Only for {@code providerIds} (those that declare a capacity): the work stays bounded by their capacities. */
    default Map<String, Integer> perProviderSince(OffsetDateTime since, Collection<String> providerIds) {
        return perProviderSince(since, providerIds, null, null);
    }

    /** The same, not counting the copies of the referral {@code sender}/{@code referralId} (when not null). */
    Map<String, Integer> perProviderSince(OffsetDateTime since, Collection<String> providerIds, String sender, String referralId);
}

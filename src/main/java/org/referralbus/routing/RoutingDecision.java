package org.referralbus.routing;

import java.util.List;

/** Where a referral goes: one assignment per provider, in a deterministic order. */
public record RoutingDecision(List<Assignment> assignments) {
}

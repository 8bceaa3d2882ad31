package org.referralbus.routing;

import java.util.List;

/**
 * One provider's share of a referral.
 *
 * @param services the needs this provider is asked to meet (for the coordinator: the needs nobody else may or can take)
 * @param rules    which rule chose the provider for each service, in the same order, e.g. {@code regional:SHELTER}
 * @param reasons  why the coordinator got it ({@code NO_CONSENT}, {@code OUTSIDE_CONSENT:LEGAL}, {@code NO_PROVIDER:EDUCATION}); empty for others
 */
public record Assignment(Provider provider, List<String> services, List<String> rules, List<String> reasons) {
}

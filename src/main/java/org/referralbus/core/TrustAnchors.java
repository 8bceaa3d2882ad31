package org.referralbus.core;

import java.security.cert.X509Certificate;
import java.util.List;

/** The CA certificates the bus trusts ({@code referral-bus.identity.trust-anchors}), read once at start-up. */
public record TrustAnchors(List<X509Certificate> certificates) {

    public TrustAnchors {
        certificates = List.copyOf(certificates);
    }
}

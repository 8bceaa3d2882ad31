package org.referralbus.core;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The bus's current key pair, loaded once at start-up (PEM in development, PKCS#12 in production). It signs
 * receipts and deliveries, opens referrals, and identifies the bus to providers' webhooks.
 */
public record BusKey(PrivateKey privateKey, X509Certificate certificate) {
}

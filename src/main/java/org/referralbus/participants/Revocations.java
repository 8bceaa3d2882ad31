package org.referralbus.participants;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/** What a certificate's CA says about revoking it: since when it is not to be trusted, if at all. */
@FunctionalInterface
public interface Revocations {

    /** No revocation lists configured: nothing is revoked. */
    Revocations NONE = certificate -> Optional.empty();

    /**
     * @return the instant from which the certificate is revoked (the earlier of the entry's revocation date and its
     *         invalidity date, when the CA says the key was compromised before it revoked), or empty if it is not
     */
    Optional<Instant> revokedSince(X509Certificate certificate);
}

package org.referralbus.participants;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * Decides whether a participant certificate chains to one of the bus's trust anchors.
 *
 * <p>Implementation note: PKIX path building and validation (RFC 5280) with the JDK's provider, at the
 * injected clock's instant, so expired and not-yet-valid certificates fail. Only the configured anchors are
 * trusted; certificates supplied by the sender are used as intermediates only, never as anchors. Revocation comes
 * from {@link Revocations} (the CRL files, {@link RevocationLists}), checked on every certificate of the path.
 * {@link #verifyAsOf} judges a signature the bus admitted earlier as it stood then: a certificate that has expired
 * since, or was revoked with a date after that instant, does not undo it. Immutable and thread-safe: every call
 * builds its own parameters from the shared anchor set.
 */
public final class CertificateTrust {

    private final Set<TrustAnchor> anchors;
    private final Clock clock;
    private final Revocations revocations;

    /** Without revocation lists (the command-line clients, the bench's ceiling). */
    public CertificateTrust(List<X509Certificate> trustAnchors, Clock clock) {
        this(trustAnchors, clock, Revocations.NONE);
    }

    public CertificateTrust(List<X509Certificate> trustAnchors, Clock clock, Revocations revocations) {
        if (trustAnchors.isEmpty()) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "At least one trust anchor is required");
        }
        this.anchors = trustAnchors.stream()
                .map(certificate -> new TrustAnchor(certificate, null))
                .collect(Collectors.toUnmodifiableSet());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.revocations = Objects.requireNonNull(revocations, "revocations");
    }

    /**
     * Validates {@code certificate} against the trust anchors now: any revocation counts.
     *
     * @param intermediates untrusted certificates that may complete the path (may include unrelated ones)
     * @throws ReferralBusException {@link ErrorCode#SIGNER_UNTRUSTED} if no valid path exists
     */
    public void verify(X509Certificate certificate, List<X509Certificate> intermediates) {
        verify(certificate, intermediates, clock.instant(), true);
    }

    /**
     * Validates {@code certificate} as of {@code at}, an instant already past: validity periods are those of that
     * instant, and only revocations dated at or before it count.
     *
     * @throws ReferralBusException {@link ErrorCode#SIGNER_UNTRUSTED} if no path was valid then
     */
    public void verifyAsOf(X509Certificate certificate, List<X509Certificate> intermediates, Instant at) {
        verify(certificate, intermediates, at, false);
    }

    private void verify(X509Certificate certificate, List<X509Certificate> intermediates, Instant at, boolean anyRevocation) {
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setDate(Date.from(at));
            parameters.setRevocationEnabled(false);
            parameters.addCertPathChecker(new NotRevoked(revocations, anyRevocation ? null : at));
            List<X509Certificate> candidates = new ArrayList<>(intermediates);
            candidates.add(certificate);
            parameters.addCertStore(CertStore.getInstance("Collection",
                    new CollectionCertStoreParameters(candidates)));
            CertPathBuilder.getInstance("PKIX").build(parameters);
        } catch (GeneralSecurityException e) {
            throw new ReferralBusException(ErrorCode.SIGNER_UNTRUSTED, "Certificate serial "
                    + certificate.getSerialNumber().toString(16) + " does not chain to a trusted CA at " + at, e);
        }
    }

    /** Fails the path on a revoked certificate: any revocation, or only one dated at or before {@code at}. */
    private static final class NotRevoked extends PKIXCertPathChecker {
        private final Revocations revocations;
        private final Instant at;

        NotRevoked(Revocations revocations, Instant at) {
            this.revocations = revocations;
            this.at = at;
        }

        @Override
        public void init(boolean forward) {
        }

        @Override
        public boolean isForwardCheckingSupported() {
            return true;
        }

        @Override
        public Set<String> getSupportedExtensions() {
            return null;
        }

        @Override
        public void check(Certificate certificate, Collection<String> unresolvedCritExts) throws CertPathValidatorException {
            if (!(certificate instanceof X509Certificate x509)) {
                return;
            }
            Optional<Instant> since = revocations.revokedSince(x509);
            if (since.isPresent() && (at == null || !since.get().isAfter(at))) {
                throw new CertPathValidatorException("Certificate serial " + x509.getSerialNumber().toString(16)
                        + " is revoked since " + since.get());
            }
        }
    }
}

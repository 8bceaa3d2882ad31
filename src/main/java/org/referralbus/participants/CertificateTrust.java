package org.referralbus.participants;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * Decides whether a participant certificate chains to one of the bus's trust anchors.
 *
 * <p>Implementation note: PKIX path building and validation (RFC 5280) with the JDK's provider, at the
 * injected clock's instant, so expired and not-yet-valid certificates fail. Only the configured anchors are
 * trusted; certificates supplied by the sender are used as intermediates only, never as anchors. Revocation is
 * <em>off</em> for now: the CRL work plugs in through {@code additionalCheckers} (e.g. a
 * {@code PKIXRevocationChecker} or a CRL-backed {@link PKIXCertPathChecker}) without changing callers.
 * Immutable and thread-safe: every call builds its own parameters from the shared anchor set.
 */
public final class CertificateTrust {

    private final Set<TrustAnchor> anchors;
    private final Clock clock;
    private final List<PKIXCertPathChecker> additionalCheckers;

    public CertificateTrust(List<X509Certificate> trustAnchors, Clock clock) {
        this(trustAnchors, clock, List.of());
    }

    /** @param additionalCheckers run on every path; the seam for revocation checking (cloned per call) */
    public CertificateTrust(List<X509Certificate> trustAnchors, Clock clock,
                            List<PKIXCertPathChecker> additionalCheckers) {
        if (trustAnchors.isEmpty()) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "At least one trust anchor is required");
        }
        this.anchors = trustAnchors.stream()
                .map(certificate -> new TrustAnchor(certificate, null))
                .collect(Collectors.toUnmodifiableSet());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.additionalCheckers = List.copyOf(additionalCheckers);
    }

    /**
     * Validates {@code certificate} against the trust anchors now.
     *
     * @param intermediates untrusted certificates that may complete the path (may include unrelated ones)
     * @throws ReferralBusException {@link ErrorCode#SIGNER_UNTRUSTED} if no valid path exists
     */
    public void verify(X509Certificate certificate, List<X509Certificate> intermediates) {
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setDate(Date.from(clock.instant()));
            parameters.setRevocationEnabled(false);
            for (PKIXCertPathChecker checker : additionalCheckers) {
                parameters.addCertPathChecker((PKIXCertPathChecker) checker.clone());
            }
            List<X509Certificate> candidates = new ArrayList<>(intermediates);
            candidates.add(certificate);
            parameters.addCertStore(CertStore.getInstance("Collection",
                    new CollectionCertStoreParameters(candidates)));
            CertPathBuilder.getInstance("PKIX").build(parameters);
        } catch (GeneralSecurityException e) {
            throw new ReferralBusException(ErrorCode.SIGNER_UNTRUSTED, "Certificate serial "
                    + certificate.getSerialNumber().toString(16) + " does not chain to a trusted CA at "
                    + clock.instant(), e);
        }
    }
}

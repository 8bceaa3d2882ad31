package org.referralbus.system;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.TrustAnchors;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.participants.Revocations;

/**
 * Whether TLS clients would accept an HTTPS server certificate that replaces the one in force, judged as the clients
 * judge it: valid now, not revoked by the CRLs the bus is configured with ({@code referral-bus.identity.crl-files},
 * the certificate or a CA certificate of its file), chaining to a CA the bus trusts (the trust anchors participants
 * are given, or a CA certificate that came in the file of the certificate in force), for server authentication, and
 * naming every host name and address (subjectAltName DNS and IP) the certificate in force names, which clients
 * connect to. A certificate that fails any of these would take every participant off the bus at its next connection
 * (a revoked one: its key may be in other hands); a deliberate change of CA or of host names is made by a restart, not
 * by a file copied under a running bus.
 */
final class ServerCertificateCheck {

    private static final String RENEWAL = "docs/operators.md, 'Things that run out'";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_USAGE = "2.5.29.37.0";
    private static final int DNS = 2;
    private static final int IP = 7;

    /**
     * What is wrong with a certificate and what the operator should do, both free of key material; {@code lookAgainAt}
     * is when the same files may be judged otherwise (a certificate not yet valid), or null.
     */
    record Objection(String problem, String action, Instant lookAgainAt) {

        Objection(String problem, String action) {
            this(problem, action, null);
        }
    }

    private final TrustAnchors anchors;
    private final Revocations revocations;
    private final Clock clock;

    /** @param revocations the CRLs of {@code referral-bus.identity.crl-files}, as they are when a certificate is judged */
    ServerCertificateCheck(TrustAnchors anchors, Revocations revocations, Clock clock) {
        this.anchors = anchors;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** The first reason clients would refuse {@code next} (leaf first, then its CA certificates), or empty. */
    Optional<Objection> againstRenewal(List<X509Certificate> next, List<X509Certificate> inForce) {
        X509Certificate leaf = next.get(0);
        Optional<Objection> outside = outsideValidity(leaf);
        if (outside.isPresent()) {
            return outside;
        }
        Optional<Objection> revoked = revoked(next);
        if (revoked.isPresent()) {
            return revoked;
        }
        if (!chainsTo(next, trusted(inForce))) {
            return Optional.of(new Objection("is issued by " + leaf.getIssuerX500Principal().getName()
                    + ", which does not chain to the trust anchors (referral-bus.identity.trust-anchors) nor to a CA certificate"
                    + " of the certificate in force, so participants would refuse it",
                    "Copy in a certificate from the deployment's CA; to move to another CA, give participants its certificate"
                            + " first, then restart the bus with the new pair (" + RENEWAL + ")."));
        }
        Optional<Objection> notForServers = notForServers(leaf);
        if (notForServers.isPresent()) {
            return notForServers;
        }
        List<String> dropped = hosts(inForce.get(0)).stream().filter(host -> !covers(hosts(leaf), host)).toList();
        if (!dropped.isEmpty()) {
            return Optional.of(new Objection("does not name " + String.join(", ", dropped) + " (subjectAltName), which the"
                    + " certificate in force names: clients connecting by that name would refuse it",
                    "Have the certificate issued for every host name and address of the one in force; to drop a name, restart"
                            + " the bus with the new pair once no client uses it (" + RENEWAL + ")."));
        }
        return Optional.empty();
    }

    /** Expired or not yet valid now, as every client would judge it: refused at start and at a reload alike. */
    Optional<Objection> outsideValidity(X509Certificate certificate) {
        Instant now = clock.instant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        Instant notBefore = certificate.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            return Optional.of(new Objection("expired on " + notAfter + ", so every client would refuse it",
                    "Install the renewed certificate and its key from your CA (" + RENEWAL + ")."));
        }
        if (now.isBefore(notBefore)) {
            return Optional.of(new Objection("is not valid before " + notBefore + " (the bus's clock says " + now
                    + "), so every client would refuse it", "Left in place, it is applied then; otherwise check the clock of"
                    + " the bus and of the CA that issued it (" + RENEWAL + ").", notBefore));
        }
        return Optional.empty();
    }

    /**
     * Revoked by a CRL of {@code referral-bus.identity.crl-files}, it or a CA certificate of its file (leaf first):
     * refused at start and at a reload alike, as the bus refuses a revoked participant.
     */
    Optional<Objection> revoked(List<X509Certificate> chain) {
        for (X509Certificate certificate : chain) {
            Optional<Instant> since = revocations.revokedSince(certificate);
            if (since.isPresent()) {
                String which = certificate == chain.get(0) ? "is revoked"
                        : "is issued by " + certificate.getSubjectX500Principal().getName() + ", whose certificate is revoked";
                return Optional.of(new Objection(which + " (since " + since.get() + ", by a CRL of referral-bus.identity.crl-files),"
                        + " so its key may be in other hands and clients that check revocation would refuse it",
                        "Install a certificate your CA issued on a new key, with that key (" + RENEWAL + ")."));
            }
        }
        return Optional.empty();
    }

    /** Limited to other uses than a TLS server's (a participant's certificate?): refused at start and at a reload alike. */
    Optional<Objection> notForServers(X509Certificate certificate) {
        if (forServers(certificate)) {
            return Optional.empty();
        }
        return Optional.of(new Objection("is not a TLS server certificate: its extendedKeyUsage lacks serverAuth (a"
                + " participant's certificate?), so TLS clients would refuse it",
                "Use the server certificate issued for the bus's host names (extendedKeyUsage=serverAuth; " + RENEWAL + ")."));
    }

    /** Whether the certificate (leaf first, then the CA certificates of its file) chains to the trust anchors now. */
    boolean chainsToTrustAnchors(List<X509Certificate> chain) {
        return chainsTo(chain, anchors.certificates());
    }

    private boolean chainsTo(List<X509Certificate> chain, List<X509Certificate> cas) {
        if (cas.isEmpty()) {
            return false;
        }
        try {
            new CertificateTrust(cas, clock).verify(chain.get(0), chain.subList(1, chain.size()));
            return true;
        } catch (ReferralBusException untrusted) {
            return false;
        }
    }

    /** The trust anchors and the CA certificates that came with the certificate in force (a public CA's chain). */
    private List<X509Certificate> trusted(List<X509Certificate> inForce) {
        List<X509Certificate> cas = new ArrayList<>(anchors.certificates());
        inForce.stream().skip(1).filter(certificate -> certificate.getBasicConstraints() >= 0).forEach(cas::add);
        return cas;
    }

    private static boolean forServers(X509Certificate certificate) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            return usages == null || usages.contains(SERVER_AUTH) || usages.contains(ANY_USAGE);
        } catch (CertificateParsingException unreadable) {
            return false;
        }
    }

    /** Its subjectAltName DNS names (lower case) and IP addresses, as clients match them. */
    private static List<String> hosts(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream().filter(name -> (Integer) name.get(0) == DNS || (Integer) name.get(0) == IP)
                    .map(name -> ((String) name.get(1)).toLowerCase(Locale.ROOT)).toList();
        } catch (CertificateParsingException unreadable) {
            return List.of();
        }
    }

    /** Whether {@code names} lets a client reach {@code host}: the same name, or a wildcard for its one first label. */
    private static boolean covers(List<String> names, String host) {
        int dot = host.indexOf('.');
        return names.contains(host) || dot > 0 && !host.startsWith("*.") && names.contains("*" + host.substring(dot));
    }
}

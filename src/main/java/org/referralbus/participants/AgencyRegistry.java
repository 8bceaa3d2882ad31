package org.referralbus.participants;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agencies that may submit ({@code routes/agencies.yaml}), each with its certificate. A certificate from the CA
 * says who someone claims to be; this list says whether that agency takes part in the referral mechanism now, and
 * with which key ({@link RegistryBinding}). Read and checked once at start-up: a wrong file stops the bus with a
 * message naming the problem. Immutable.
 */
public final class AgencyRegistry implements ParticipantRegister {

    private final Map<String, X509Certificate> certificates;

    private AgencyRegistry(Map<String, X509Certificate> certificates) {
        this.certificates = certificates;
    }

    public static AgencyRegistry load(Path file) {
        Map<String, X509Certificate> certificates = RegisteredCertificates.load(file, "agencies", ParticipantRole.AGENCY);
        if (certificates.isEmpty()) {
            throw new IllegalStateException("Agency registry " + file + " lists no agency");
        }
        return new AgencyRegistry(certificates);
    }

    /** The registered certificate of the agency {@code id}, if it is listed. */
    public Optional<X509Certificate> certificate(String id) {
        return Optional.ofNullable(certificates.get(id));
    }

    @Override
    public List<X509Certificate> certificatesOf(ParticipantIdentity identity) {
        return identity.role() == ParticipantRole.AGENCY ? certificate(identity.id()).stream().toList() : List.of();
    }
}

package org.referralbus.participants;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * Auditors and bus operators ({@code routes/oversight.yaml}: lists {@code auditors} and {@code admins}), each with
 * its certificate. An {@code OU=auditor} or {@code OU=admin} certificate from the CA is admitted only for a listed id
 * on the listed key ({@link RegistryBinding}). Read and checked once at start-up: a wrong file stops the bus.
 * Either list may be empty (then nobody has that role). Immutable.
 */
public final class OversightRegistry implements ParticipantRegister {

    private final Map<String, X509Certificate> auditors;
    private final Map<String, X509Certificate> admins;

    private OversightRegistry(Map<String, X509Certificate> auditors, Map<String, X509Certificate> admins) {
        this.auditors = auditors;
        this.admins = admins;
    }

    public static OversightRegistry load(Path file) {
        return new OversightRegistry(RegisteredCertificates.load(file, "auditors", ParticipantRole.AUDITOR),
                RegisteredCertificates.load(file, "admins", ParticipantRole.ADMIN));
    }

    @Override
    public List<X509Certificate> certificatesOf(ParticipantIdentity identity) {
        Map<String, X509Certificate> listed = switch (identity.role()) {
            case AUDITOR -> auditors;
            case ADMIN -> admins;
            default -> Map.of();
        };
        X509Certificate certificate = listed.get(identity.id());
        return certificate == null ? List.of() : List.of(certificate);
    }
}

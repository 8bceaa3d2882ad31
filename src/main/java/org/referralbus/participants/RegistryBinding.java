package org.referralbus.participants;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Binds certificates to the registries: a certificate from the CA speaks for a participant only if a registry lists
 * that participant (id and role) with the same public key. A CA that is compromised, or issues by mistake, cannot
 * make a certificate that impersonates an existing participant: it does not have the participant's private key.
 *
 * <p>Implementation note: the presented certificate's DER SubjectPublicKeyInfo is compared, in constant time, with
 * that of each certificate the registries list for the participant. Keys rather than whole certificates are compared
 * so that a participant can renew its certificate on the same key without a registry change; a certificate on a new
 * key (a renewal with a fresh key, a mis-issued look-alike) is refused until the registry names it. Chain, validity
 * dates and revocation of the presented certificate are checked elsewhere (TLS, {@link CertificateTrust},
 * {@link RevocationLists}) and still apply. The registers are asked on every check, so a reloaded provider registry
 * applies at once. Thread-safe.
 */
@Component
public class RegistryBinding {

    public enum Verdict {
        /** A registry lists the participant with this certificate's key. */
        ADMITTED,
        /** No registry lists a participant of this id and role. */
        NOT_LISTED,
        /** The participant is listed, but with another key: a look-alike certificate. */
        KEY_MISMATCH
    }

    private final List<ParticipantRegister> registers;

    public RegistryBinding(List<ParticipantRegister> registers) {
        this.registers = List.copyOf(registers);
    }

    /** Whether {@code presented}, which names {@code identity}, is the certificate (key) registered for it. */
    public Verdict check(ParticipantIdentity identity, X509Certificate presented) {
        List<X509Certificate> registered = new ArrayList<>();
        for (ParticipantRegister register : registers) {
            registered.addAll(register.certificatesOf(identity));
        }
        if (registered.isEmpty()) {
            return Verdict.NOT_LISTED;
        }
        byte[] key = presented.getPublicKey().getEncoded();
        boolean match = false;
        for (X509Certificate certificate : registered) {
            match |= MessageDigest.isEqual(key, certificate.getPublicKey().getEncoded());
        }
        return match ? Verdict.ADMITTED : Verdict.KEY_MISMATCH;
    }
}

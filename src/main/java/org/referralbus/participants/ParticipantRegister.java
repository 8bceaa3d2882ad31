package org.referralbus.participants;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A registry that names participants of some role and the certificate each one is registered with: the agency
 * registry, the provider registry, the oversight registry (auditors, admins) and the bus's own identity.
 */
public interface ParticipantRegister {

    /**
     * The certificates registered for this participant (id and role); empty when this register does not list it.
     * Usually one; the bus lists its current and its previous certificate during a key rotation.
     */
    List<X509Certificate> certificatesOf(ParticipantIdentity identity);
}

package org.referralbus.participants;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.Sha256;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.userdetails.AuthenticationUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.web.authentication.preauth.x509.X509PrincipalExtractor;
import org.springframework.stereotype.Component;

/**
 * Turns a TLS client certificate (already chain-checked by the TLS layer against the configured CA) into a
 * participant: the username is the participant id, the single authority is {@code ROLE_<ROLE>}. The TLS layer
 * checks chain and validity dates; here, on every request, the certificate is checked against the CRLs as they are
 * now, must name exactly one participant and role, and must be the one a registry lists for that participant
 * ({@link RegistryBinding}). A refused certificate is answered {@code 401} as if it had shown none, with a code
 * naming the reason ({@link CertificateRefusedException}).
 *
 * <p>Reading the names never throws ({@link #extractPrincipal}): Spring Security calls it outside its failure
 * handling, where an exception became Tomcat's 500 page with a stack trace. The refusal is decided in
 * {@link #loadUserDetails}, where a failure is an ordinary failed authentication.
 */
@Component
public class ParticipantAuthentication
        implements X509PrincipalExtractor, AuthenticationUserDetailsService<PreAuthenticatedAuthenticationToken> {

    /** The principal of a certificate whose names cannot be read; never admitted. */
    static final String UNIDENTIFIED = "(unidentified)";

    private final RevocationLists revocations;
    private final RegistryBinding registries;

    public ParticipantAuthentication(RevocationLists revocations, RegistryBinding registries) {
        this.revocations = revocations;
        this.registries = registries;
    }

    @Override
    public Object extractPrincipal(X509Certificate clientCertificate) {
        try {
            return ParticipantIdentity.of(clientCertificate).id();
        } catch (RuntimeException e) {
            return UNIDENTIFIED;
        }
    }

    @Override
    public UserDetails loadUserDetails(PreAuthenticatedAuthenticationToken token) {
        if (!(token.getCredentials() instanceof X509Certificate certificate)) {
            throw new BadCredentialsException("No client certificate");
        }
        if (revocations.isRevoked(certificate)) {
            throw new BadCredentialsException("Client certificate is revoked");
        }
        ParticipantIdentity identity = admitted(certificate);
        return User.withUsername(identity.id())
                .password("")
                .authorities("ROLE_" + identity.role().name())
                .build();
    }

    /**
     * For checks outside Spring Security (the broker's acceptor; the cap on requests without a certificate,
     * {@code system/AnonymousRequestLimit}): the participant a client certificate, whose chain the TLS layer has
     * checked, speaks for as of now: not revoked, naming one participant, the one a registry lists.
     *
     * @throws BadCredentialsException if it is refused, saying why (ids and serials only)
     */
    public ParticipantIdentity admit(X509Certificate certificate) {
        if (revocations.isRevoked(certificate)) {
            throw new BadCredentialsException("Client certificate serial " + serial(certificate) + " is revoked");
        }
        return admitted(certificate);
    }

    /** The participant {@code certificate} speaks for, if it names one clearly and is the one registered for it. */
    ParticipantIdentity admitted(X509Certificate certificate) {
        ParticipantIdentity identity;
        try {
            identity = ParticipantIdentity.of(certificate);
        } catch (RuntimeException e) {
            throw new CertificateRefusedException(ErrorCode.CERTIFICATE_MALFORMED, fingerprint(certificate),
                    "Client certificate serial " + serial(certificate) + " names no single participant and role");
        }
        return switch (registries.check(identity, certificate)) {
            case ADMITTED -> identity;
            case NOT_LISTED -> throw new CertificateRefusedException(ErrorCode.PARTICIPANT_NOT_REGISTERED, identity.id(),
                    "Client certificate serial " + serial(certificate) + " names " + identity.role() + " '"
                            + identity.id() + "', which no registry lists");
            case KEY_MISMATCH -> throw new CertificateRefusedException(ErrorCode.PARTICIPANT_KEY_MISMATCH, identity.id(),
                    "Client certificate serial " + serial(certificate) + " names " + identity.role() + " '"
                            + identity.id() + "' on a key the registry does not list for it");
        };
    }

    private static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return "certificate:" + Sha256.hex(certificate.getEncoded()).substring(0, 32);
        } catch (CertificateEncodingException e) {
            return "certificate:serial-" + serial(certificate);
        }
    }
}

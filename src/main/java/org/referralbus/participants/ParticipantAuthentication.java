package org.referralbus.participants;

import java.security.cert.X509Certificate;
import org.referralbus.core.ReferralBusException;
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
 * checks chain and validity dates; revocation is checked here, against the CRLs as they are now, on every request
 * (a revoked client is answered {@code 401}, as if it had shown no certificate), and so is membership of the
 * agency registry for agency certificates.
 */
@Component
public class ParticipantAuthentication
        implements X509PrincipalExtractor, AuthenticationUserDetailsService<PreAuthenticatedAuthenticationToken> {

    private final RevocationLists revocations;
    private final AgencyRegistry agencies;

    public ParticipantAuthentication(RevocationLists revocations, AgencyRegistry agencies) {
        this.revocations = revocations;
        this.agencies = agencies;
    }

    @Override
    public Object extractPrincipal(X509Certificate clientCertificate) {
        return identify(clientCertificate).id();
    }

    @Override
    public UserDetails loadUserDetails(PreAuthenticatedAuthenticationToken token) {
        if (!(token.getCredentials() instanceof X509Certificate certificate)) {
            throw new BadCredentialsException("No client certificate");
        }
        if (revocations.isRevoked(certificate)) {
            throw new BadCredentialsException("Client certificate is revoked");
        }
        ParticipantIdentity identity = identify(certificate);
        if (identity.role() == ParticipantRole.AGENCY && !agencies.admits(identity)) {
            throw new BadCredentialsException("Agency certificate for an id not in the agency registry");
        }
        return User.withUsername(identity.id())
                .password("")
                .authorities("ROLE_" + identity.role().name())
                .build();
    }

    private static ParticipantIdentity identify(X509Certificate certificate) {
        try {
            return ParticipantIdentity.of(certificate);
        } catch (ReferralBusException e) {
            throw new BadCredentialsException("Client certificate names no participant", e);
        }
    }
}

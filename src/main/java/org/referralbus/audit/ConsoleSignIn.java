package org.referralbus.audit;

import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Console sign-in: password and TOTP code must both match an auditor account. One message for every failure,
 * so the form does not tell which factor was wrong or whether the account exists.
 */
class ConsoleSignIn implements AuthenticationProvider {

    private final AuditorAccounts accounts;

    ConsoleSignIn(AuditorAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        String password = authentication.getCredentials() == null ? null : authentication.getCredentials().toString();
        String code = authentication.getDetails() instanceof String value ? value : null;
        if (!accounts.authenticate(username, password, code)) {
            throw new BadCredentialsException("Sign-in failed");
        }
        return UsernamePasswordAuthenticationToken.authenticated(username, null,
                List.of(new SimpleGrantedAuthority("ROLE_AUDITOR")));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}

package org.referralbus.audit;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The console's own chain, ahead of the stateless API chain: form sign-in with password + TOTP, a session cookie,
 * CSRF tokens on every form and POST, a CSP that allows only the bus's own scripts and styles (no CDN, works
 * offline), and {@code Referrer-Policy: no-referrer} like every other answer of the bus. Sign-in is throttled per
 * account and per address ({@link ConsoleSignIn}); a throttled attempt is sent back to {@code /audit/login?throttled}. Its authentication manager knows auditor accounts only; the API chain never sees them.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    @Bean
    @Order(1)
    SecurityFilterChain auditConsoleSecurity(HttpSecurity http, AuditorAccounts accounts, SignInThrottle throttle,
                                             RefusalTally refusals) throws Exception {
        ExceptionMappingAuthenticationFailureHandler failures = new ExceptionMappingAuthenticationFailureHandler();
        failures.setDefaultFailureUrl("/audit/login?error");
        failures.setExceptionMappings(Map.of(ConsoleSignIn.SignInThrottledException.class.getName(), "/audit/login?throttled"));
        http.securityMatcher("/audit", "/audit/**")
                .authenticationManager(new ProviderManager(new ConsoleSignIn(accounts, throttle, refusals)))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/audit/login", "/audit/console.css", "/audit/favicon.svg").permitAll()
                        .anyRequest().hasRole("AUDITOR"))
                .formLogin(form -> form
                        .loginPage("/audit/login")
                        .loginProcessingUrl("/audit/login")
                        .authenticationDetailsSource(request -> new ConsoleSignIn.SignInAttempt(request.getParameter("code"),
                                request.getRemoteAddr()))
                        .defaultSuccessUrl("/audit", true)
                        .failureHandler(failures))
                .logout(logout -> logout.logoutUrl("/audit/logout").logoutSuccessUrl("/audit/login?signed-out"))
                .headers(h -> h
                        .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000))
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; script-src 'self'; "
                                + "style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)));
        return http.build();
    }
}

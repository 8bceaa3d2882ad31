package org.referralbus.system;

import org.referralbus.participants.ParticipantAuthentication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Mutual TLS is the only way in: Tomcat checks the client chain against the trust anchors, this chain maps the
 * certificate to a participant and its role. No sessions, no cookies, so no CSRF surface on the API.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ParticipantAuthentication participants,
                                    ProblemResponses problems) throws Exception {
        http.x509(x509 -> x509
                        .x509PrincipalExtractor(participants)
                        .authenticationUserDetailsService(participants))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) ->
                                problems.write(response, 401, "unauthenticated", "A client certificate from the configured CA is required."))
                        .accessDeniedHandler((request, response, ex) ->
                                problems.write(response, ErrorCode.FORBIDDEN.httpStatus(), ErrorCode.FORBIDDEN.code(), ErrorCode.FORBIDDEN.title())))
                .headers(h -> h.httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000)))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/referrals").hasRole("AGENCY")
                        .requestMatchers(HttpMethod.GET, "/api/v1/referrals/*/status").hasRole("AGENCY")
                        .requestMatchers(HttpMethod.GET, "/api/v1/inbox", "/api/v1/inbox/*").hasRole("PROVIDER")
                        .requestMatchers(HttpMethod.POST, "/api/v1/inbox/*/ack").hasRole("PROVIDER")
                        .requestMatchers(HttpMethod.GET, "/api/v1/audit/**").hasRole("AUDITOR")
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll());
        return http.build();
    }
}

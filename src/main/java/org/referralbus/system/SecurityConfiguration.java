package org.referralbus.system;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Optional;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.ErrorCode;
import org.referralbus.participants.ParticipantAuthentication;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.preauth.x509.X509AuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Mutual TLS is the only way in: Tomcat checks the client chain against the trust anchors, this chain maps the
 * certificate to a participant and its role and admits it only if a registry lists it on that key (a refused
 * certificate is answered {@code 401} with a code naming the reason). No sessions, no cookies, so no CSRF surface on
 * the API.
 * Every response carries HSTS and a strict Content-Security-Policy (the API serves no HTML; the auditor console
 * loads only its own scripts and styles), and every API request passes the per-participant rate limit.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** Nothing from elsewhere, no inline script, no framing: what a console built only of its own files needs. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /**
     * Spring Security otherwise times every filter of every request, each authentication and each authorization as
     * observations of their own: about 1 % of a busy bus's CPU, and more code for the JIT, for meters nobody reads.
     * Requests keep their one timer ({@code http_server_requests_seconds}); refusals are counted by the bus.
     */
    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ParticipantAuthentication participants,
                                    ProblemResponses problems, ParticipantRateLimiter rateLimiter,
                                    RefusalTally refusals, CertificateRefusals certificateRefusals,
                                    EndpointsAtPath endpoints) throws Exception {
        http.x509(x509 -> x509
                        .x509PrincipalExtractor(participants)
                        .authenticationUserDetailsService(participants)
                        .withObjectPostProcessor(new ObjectPostProcessor<X509AuthenticationFilter>() {
                            @Override
                            public <O extends X509AuthenticationFilter> O postProcess(O filter) {
                                filter.setAuthenticationFailureHandler(certificateRefusals);
                                return filter;
                            }
                        }))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> {
                            ErrorCode refused = CertificateRefusals.problemFor(request);
                            if (refused != null) {
                                problems.write(response, refused.httpStatus(), refused.code(), refused.title());
                            } else {
                                refusedWithoutCertificate(refusals, request);
                                problems.write(response, 401, ProblemResponses.UNAUTHENTICATED, ProblemResponses.UNAUTHENTICATED_TITLE);
                            }
                        })
                        .accessDeniedHandler((request, response, ex) -> {
                            Optional<EndpointsAtPath.Endpoint> endpoint = endpoints.withoutMethod(request);
                            if (endpoint.isPresent()) {
                                refusedForItsMethod(refusals, request, endpoint.get());
                                response.setHeader(HttpHeaders.ALLOW, String.join(", ", endpoint.get().methods()));
                                problems.write(response, ErrorCode.METHOD_NOT_ALLOWED.httpStatus(), ErrorCode.METHOD_NOT_ALLOWED.code(),
                                        ErrorCode.METHOD_NOT_ALLOWED.title());
                            } else {
                                refusedForItsRole(refusals, request);
                                problems.write(response, ErrorCode.FORBIDDEN.httpStatus(), ErrorCode.FORBIDDEN.code(), ErrorCode.FORBIDDEN.title());
                            }
                        }))
                .headers(h -> h.httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000))
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .addFilterAfter(new RateLimitFilter(rateLimiter, problems, refusals), AuthorizationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/referrals").hasRole("AGENCY")
                        .requestMatchers(HttpMethod.GET, "/api/v1/referrals/*/status").hasRole("AGENCY")
                        .requestMatchers(HttpMethod.GET, "/api/v1/inbox", "/api/v1/inbox/*").hasRole("PROVIDER")
                        .requestMatchers(HttpMethod.POST, "/api/v1/inbox/*/ack", "/api/v1/inbox/*/close").hasRole("PROVIDER")
                        // Only the coordinator among providers: ErasureController checks the id.
                        .requestMatchers(HttpMethod.POST, "/api/v1/erasures").hasRole("PROVIDER")
                        // Only the coordinator among providers: CaseController checks the id.
                        .requestMatchers(HttpMethod.GET, "/api/v1/cases", "/api/v1/cases/*").hasRole("PROVIDER")
                        .requestMatchers(HttpMethod.POST, "/api/v1/cases/*/merge", "/api/v1/cases/*/split").hasRole("PROVIDER")
                        .requestMatchers(HttpMethod.GET, "/api/v1/bus/certificate")
                                .hasAnyRole("AGENCY", "PROVIDER", "AUDITOR", "ADMIN")
                        // The API description holds no data, but the bus answers participants only: any role may read it.
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs.yaml")
                                .hasAnyRole("AGENCY", "PROVIDER", "AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/actuator/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/v1/admin/dead-letters", "/api/v1/admin/dead-letters/*").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/v1/admin/dead-letters/redeliver",
                                "/api/v1/admin/dead-letters/*/redeliver").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/v1/audit/**").hasRole("AUDITOR")
                        // Providers are let through only for the coordinator: StatisticsController checks which provider asks.
                        .requestMatchers(HttpMethod.GET, "/api/v1/statistics").hasAnyRole("AUDITOR", "PROVIDER")
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll());
        return http.build();
    }

    /**
     * A request without a client certificate names nobody: audited by its address, like the concurrency limit's
     * refusals ({@code REJECTED}, actor {@code address:<ip>}, detail {@code unauthenticated}, counted per window).
     */
    private static void refusedWithoutCertificate(RefusalTally refusals, HttpServletRequest request) {
        refusals.count(AuditEvent.of(AuditEventType.REJECTED, null, "address:" + request.getRemoteAddr()).withDetail(ProblemResponses.UNAUTHENTICATED));
    }

    /**
     * A participant calling an endpoint with a method it does not take (405), audited like any refusal of the web layer:
     * detail {@code method_not_allowed;<method> <endpoint>} with the bus's own path pattern.
     */
    private static void refusedForItsMethod(RefusalTally refusals, HttpServletRequest request, EndpointsAtPath.Endpoint endpoint) {
        Principal caller = request.getUserPrincipal();
        if (caller != null) {
            refusals.count(AuditEvent.of(AuditEventType.REJECTED, null, caller.getName()).withDetail(ErrorCode.METHOD_NOT_ALLOWED.code()
                    + ";" + ProblemDetailsAdvice.method(request.getMethod()) + " " + endpoint.pattern()));
        }
    }

    /**
     * A participant asking for what its role may not have (403), audited like any refusal: {@code REJECTED}, counted
     * per window, detail {@code forbidden;<method> (access rules)}. The path is the caller's text and is not repeated.
     */
    private static void refusedForItsRole(RefusalTally refusals, HttpServletRequest request) {
        Principal caller = request.getUserPrincipal();
        if (caller != null && refusals.count(AuditEvent.of(AuditEventType.REJECTED, null, caller.getName())
                .withDetail(ErrorCode.FORBIDDEN.code() + ";" + ProblemDetailsAdvice.method(request.getMethod()) + " (access rules)"))) {
            LoggerFactory.getLogger(SecurityConfiguration.class).info("Refused a request of {} its role may not make: {}",
                    caller.getName(), ProblemDetailsAdvice.method(request.getMethod()));
        }
    }
}

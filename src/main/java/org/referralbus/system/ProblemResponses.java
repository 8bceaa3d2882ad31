package org.referralbus.system;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.referralbus.core.ErrorCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes RFC 9457 problem details outside Spring MVC (security filters), in the same shape as {@link ProblemDetailsAdvice}. */
@Component
class ProblemResponses {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    /** The code and title of a request without a client certificate (not an {@code ErrorCode}: no step refuses it). */
    static final String UNAUTHENTICATED = "unauthenticated";
    static final String UNAUTHENTICATED_TITLE = "A client certificate from the configured CA is required.";

    void write(HttpServletResponse response, int status, String code, String title) throws IOException {
        Map<String, Object> body = body(status, code, title);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }

    /**
     * A refusal made before Spring Security's chain (whose header writers then never run): the same headers as every
     * other answer, {@code Retry-After: 1}, and {@code Connection: close}, so the caller keeps no connection either.
     */
    void refuseAhead(HttpServletResponse response, ErrorCode code) throws IOException {
        response.setHeader("Strict-Transport-Security", "max-age=31536000 ; includeSubDomains");
        response.setHeader("Content-Security-Policy", SecurityConfiguration.CONTENT_SECURITY_POLICY);
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Retry-After", "1");
        response.setHeader("Connection", "close");
        write(response, code.httpStatus(), code.code(), code.title());
    }

    /** The problem's members, in the order every answer of the bus has them. */
    static Map<String, Object> body(int status, String code, String title) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:referral-bus:problem:" + code);
        body.put("title", title);
        body.put("status", status);
        body.put("code", code);
        return body;
    }
}

package org.referralbus.system;

import java.util.LinkedHashMap;
import java.util.Map;
import org.referralbus.core.ErrorCode;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.WebRequest;

/**
 * What reaches Spring Boot's {@code /error} (a status the servlet container set itself: TRACE, say) is answered in
 * the problem shape with a stable code, like every other error, and without Boot's {@code path}: a path is the
 * caller's text and may carry a name.
 */
@Component
class ProblemErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> defaults = super.getErrorAttributes(request, ErrorAttributeOptions.defaults());
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("text/html")) { // a browser's error page (the console): Boot's, without the path
            defaults.remove("path");
            return defaults;
        }
        Object status = defaults.get("status");
        int code = status instanceof Integer known ? known : 500;
        Map<String, Object> problem = new LinkedHashMap<>();
        String stable = stableCode(code);
        problem.put("type", "urn:referral-bus:problem:" + stable);
        problem.put("title", code == 401 ? "A client certificate from the configured CA is required." : errorCode(code).title());
        problem.put("status", code);
        problem.put("code", stable);
        return problem;
    }

    private static String stableCode(int status) {
        return status == 401 ? "unauthenticated" : errorCode(status).code();
    }

    private static ErrorCode errorCode(int status) {
        return switch (status) {
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ErrorCode.RATE_LIMITED;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST;
        };
    }
}

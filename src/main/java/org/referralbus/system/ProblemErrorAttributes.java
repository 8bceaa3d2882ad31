package org.referralbus.system;

import java.util.Map;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.WebRequest;

/**
 * What reaches Spring Boot's {@code /error} (a status the servlet container set itself: TRACE, say) is answered in
 * the problem shape with a stable code, like every other error, and without Boot's {@code path}: a path is the
 * caller's text and may carry a name. A refusal of the bus's own that reaches it (a body that stopped arriving: Tomcat
 * had already answered the read's failure with its own 408 or 400) is answered with its code and that code's status.
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
        int status = defaults.get("status") instanceof Integer known ? known : 500;
        if (status == 401) {
            return ProblemResponses.body(status, ProblemResponses.UNAUTHENTICATED, ProblemResponses.UNAUTHENTICATED_TITLE);
        }
        if (getError(request) instanceof ReferralBusException refused) {
            ErrorCode code = refused.errorCode();
            return ProblemResponses.body(code.httpStatus(), code.code(), code.title());
        }
        ErrorCode code = ProblemDetailsAdvice.codeFor(status);
        return ProblemResponses.body(status, code.code(), code.title());
    }
}

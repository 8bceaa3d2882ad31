package org.referralbus.system;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.autoconfigure.web.ErrorProperties;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;

/**
 * Spring Boot's error page ({@code /error}, where Tomcat sends a response it failed itself) answering in the problem
 * shape of every other error: {@code application/problem+json}, and the status of the problem
 * {@link ProblemErrorAttributes} chose. That is the container's status except for a refusal of the bus's own that
 * arrives here: a body that stopped arriving is {@code 408 upload_incomplete} whether Tomcat saw a timeout (its 408) or
 * the connection's end (its 400). A browser's page ({@code Accept: text/html}) stays Boot's.
 */
@Controller
class ProblemErrorController extends BasicErrorController {

    ProblemErrorController(ErrorAttributes errorAttributes) {
        super(errorAttributes, new ErrorProperties()); // never a trace, a message or the path (ProblemErrorAttributes)
    }

    @Override
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        ResponseEntity<Map<String, Object>> answer = super.error(request);
        Map<String, Object> problem = answer.getBody();
        if (problem == null || !(problem.get("code") instanceof String)) {
            return answer;
        }
        int status = problem.get("status") instanceof Integer chosen ? chosen : answer.getStatusCode().value();
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

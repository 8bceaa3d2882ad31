package org.referralbus.system;

import java.net.URI;
import java.security.Principal;
import java.time.temporal.Temporal;
import java.util.Set;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.RefusalsAuditedHere;
import org.referralbus.core.RetryLaterException;
import org.referralbus.validation.SchemaViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves the bus as RFC 9457 problem details with a stable {@code code}. Messages of
 * {@link ReferralBusException} carry ids and hashes only; anything else is answered without detail. A
 * {@link RetryLaterException} also says when to come back ({@code Retry-After}, seconds).
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    private final ObjectProvider<RefusalTally> refusals;
    private final ObjectProvider<EndpointsAtPath> endpoints;

    ProblemDetailsAdvice(ObjectProvider<RefusalTally> refusals, ObjectProvider<EndpointsAtPath> endpoints) {
        this.refusals = refusals;
        this.endpoints = endpoints;
    }

    /**
     * Spring MVC's own rejections (wrong media type, unreadable JSON, wrong method, …) keep their status but get
     * a stable code and no detail that could echo the request (a parameter that does not convert is named, with what
     * it takes, not what was sent); a participant's is audited like any refusal.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ErrorCode code = codeFor(statusCode.value());
        ProblemDetail problem = ProblemDetail.forStatus(statusCode);
        problem.setType(URI.create("urn:referral-bus:problem:" + code.code()));
        problem.setTitle(code.title());
        problem.setProperty("code", code.code());
        if (ex instanceof MethodArgumentTypeMismatchException mismatch && mismatch.getRequiredType() != null) {
            problem.setDetail(expected(mismatch.getName(), mismatch.getRequiredType())); // names the parameter, not its value
        }
        audit(request, code, true);
        HttpHeaders answer = new HttpHeaders();
        answer.addAll(headers);
        answer.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(problem, answer, statusCode);
    }

    /**
     * A participant's refused request, counted per window ({@link RefusalTally}: a caller can repeat it at will), detail
     * {@code <code>;<method> <endpoint>} with the bus's own path pattern, never the path as sent. Not for what an
     * endpoint that audits its own refusals ({@link RefusalsAuditedHere}) refused once its code ran, nor for an answer
     * that is not the caller's fault.
     */
    private void audit(WebRequest request, ErrorCode code, boolean beforeEndpoint) {
        Principal caller = request.getUserPrincipal();
        RefusalTally tally = refusals.getIfAvailable();
        if (caller == null || tally == null || !(request instanceof ServletWebRequest servlet)
                || code.httpStatus() < 400 || code.httpStatus() >= 500 || !beforeEndpoint && auditedByEndpoint(request)) {
            return; // a caller without a name was refused, and audited, before Spring MVC; a 5xx is the bus's fault
        }
        String endpoint = method(servlet.getRequest().getMethod()) + " " + endpointOf(servlet);
        if (tally.count(AuditEvent.of(AuditEventType.REJECTED, null, caller.getName()).withDetail(code.code() + ";" + endpoint))) {
            log.info("Refused a request of {}: {} ({})", caller.getName(), code.code(), endpoint);
        }
    }

    /**
     * The bus's own pattern for the request's path: the handler's when Spring MVC chose one, else the endpoint at that
     * path (a refused media type is refused while choosing), else none.
     */
    private String endpointOf(ServletWebRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (pattern instanceof String known && !known.equals("/**")) {
            return known;
        }
        EndpointsAtPath atPath = endpoints.getIfAvailable();
        return atPath == null ? "(no endpoint)"
                : atPath.at(request.getRequest()).map(EndpointsAtPath.Endpoint::pattern).orElse("(no endpoint)");
    }

    /** The stable code of an error status the bus did not choose itself (Spring MVC's, the servlet container's). */
    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 408 -> ErrorCode.UPLOAD_INCOMPLETE; // Tomcat's answer to a body that stopped arriving
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ErrorCode.RATE_LIMITED;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST;
        };
    }

    /** What a parameter of the bus's own takes, said without repeating what was sent. */
    static String expected(String parameter, Class<?> type) {
        String form = Temporal.class.isAssignableFrom(type) ? "an ISO 8601 date and time, such as 2026-12-04T00:00:00Z"
                : Number.class.isAssignableFrom(type) || type.isPrimitive() ? "a whole number in range" : "a " + type.getSimpleName();
        return "The parameter " + parameter + " must be " + form;
    }

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
            "OPTIONS", "TRACE");

    /** The request's method for the trail: one of HTTP's, or not repeated (any token is a method to Tomcat). */
    static String method(String sent) {
        return METHODS.contains(sent) ? sent : "(other method)";
    }

    private static boolean auditedByEndpoint(WebRequest request) {
        Object handler = request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        return handler instanceof HandlerMethod method && (method.hasMethodAnnotation(RefusalsAuditedHere.class)
                || method.getBeanType().isAnnotationPresent(RefusalsAuditedHere.class));
    }

    /**
     * A refusal of the bus's own. For {@code upload_incomplete} (a body that stopped arriving) Tomcat has already failed
     * the response (its 408, or 400 after an end of stream) and discards this answer: its error page answers instead,
     * with this exception's code ({@link ProblemErrorAttributes}, {@link ProblemErrorController}).
     */
    @ExceptionHandler(ReferralBusException.class)
    ResponseEntity<ProblemDetail> rejected(ReferralBusException e, WebRequest request) {
        ErrorCode code = e.errorCode();
        if (!(e instanceof RetryLaterException)) {
            audit(request, code, e instanceof JsonRequestBodies.Refused);
        }
        ProblemDetail problem = problem(code);
        if (code != ErrorCode.INTERNAL_ERROR && code != ErrorCode.DECRYPTION_FAILED) {
            problem.setDetail(e.getMessage());
        } else if (code == ErrorCode.INTERNAL_ERROR) {
            log.error("Internal error: {}", e.getMessage(), e.getCause());
        }
        if (e instanceof SchemaViolationException schema) {
            problem.setProperty("violations", schema.violations());
        }
        if (e instanceof RetryLaterException later) {
            return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(later.retryAfterSeconds())).body(problem);
        }
        return respond(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error of type {}", e.getClass().getName(), e);
        return respond(problem(ErrorCode.INTERNAL_ERROR));
    }

    static ProblemDetail problem(ErrorCode code) {
        ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.valueOf(code.httpStatus()));
        problem.setType(URI.create("urn:referral-bus:problem:" + code.code()));
        problem.setTitle(code.title());
        problem.setProperty("code", code.code());
        return problem;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

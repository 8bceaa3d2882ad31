package org.referralbus.support;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Arrays;
import org.referralbus.core.ErrorCode;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultMatcher;

/** MockMvc expectations for the bus's RFC 9457 answers: {@code application/problem+json} with a stable {@code code}. */
public final class ProblemDetails {

    private ProblemDetails() {
    }

    /** The problem details of {@code code}: its status, type, title and code. */
    public static ResultMatcher problem(ErrorCode code) {
        return problem(code.httpStatus(), code);
    }

    /** Spring MVC's own rejections (405, 415, …) keep their status and carry the code of {@code code}. */
    public static ResultMatcher problem(int status, ErrorCode code) {
        return all(
                status().is(status),
                content().contentType(MediaType.APPLICATION_PROBLEM_JSON),
                jsonPath("$.status").value(status),
                jsonPath("$.code").value(code.code()),
                jsonPath("$.type").value("urn:referral-bus:problem:" + code.code()),
                jsonPath("$.title").value(code.title()));
    }

    /** No {@code detail} member: nothing of the request or of the bus's internals is echoed. */
    public static ResultMatcher noDetail() {
        return jsonPath("$.detail").doesNotExist();
    }

    /** The body names no exception type and contains none of {@code secrets} (messages, class names, traces). */
    public static ResultMatcher revealsNone(String... secrets) {
        return all(
                content().string(not(containsString("Exception"))),
                content().string(not(containsString("\tat "))),
                content().string(not(containsString("\"trace\""))),
                all(Arrays.stream(secrets)
                        .map(secret -> content().string(not(containsString(secret))))
                        .toArray(ResultMatcher[]::new)));
    }

    private static ResultMatcher all(ResultMatcher... matchers) {
        return result -> {
            for (ResultMatcher matcher : matchers) {
                matcher.match(result);
            }
        };
    }
}

package org.referralbus.system;

import static org.referralbus.support.ProblemDetails.noDetail;
import static org.referralbus.support.ProblemDetails.problem;
import static org.referralbus.support.ProblemDetails.revealsNone;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.validation.SchemaViolationException;
import org.referralbus.validation.Violation;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The advice on its own, behind a controller made for the test that throws what the real controllers and Spring MVC
 * throw: every {@link ErrorCode} keeps its status, type, title and code; only internal and decryption failures
 * lose their detail; anything unexpected is a bare 500. Security filters are off ({@code addFilters = false}):
 * the advice does not depend on who calls, and the controllers' own slices run it behind the real chain.
 */
@WebMvcTest(ProblemDetailsAdviceWebTest.Failing.class)
@AutoConfigureMockMvc(addFilters = false)
@Import({ProblemDetailsAdviceWebTest.Failing.class, AddressLimitOffForSlices.class})
class ProblemDetailsAdviceWebTest {

    @RestController
    static class Failing {

        record Body(String decision) {
        }

        @GetMapping("/failing/code/{code}")
        String code(@PathVariable ErrorCode code) {
            throw new ReferralBusException(code, "Referral r-9 from ngo-hotline failed");
        }

        @GetMapping("/failing/schema")
        String schema() {
            throw new SchemaViolationException(List.of(new Violation(4, 7, "cvc-datatype-valid.1.2.1")));
        }

        @GetMapping("/failing/unexpected")
        String unexpected() {
            throw new IllegalStateException("pool exhausted at jdbc:h2:file:./data/db");
        }

        @GetMapping("/failing/checked")
        String checked() throws IOException {
            throw new IOException("Broken pipe to 10.0.0.7");
        }

        @GetMapping("/failing/null")
        String nullPointer() {
            Map<String, String> none = Map.of();
            return none.get("x").trim();
        }

        @PostMapping(path = "/failing/json", consumes = MediaType.APPLICATION_JSON_VALUE)
        String json(@RequestBody Body body) {
            return body.decision();
        }

        @GetMapping("/failing/param")
        String param(@RequestParam int n) {
            return Integer.toString(n);
        }
    }

    @Autowired
    MockMvc mvc;

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, mode = EnumSource.Mode.EXCLUDE, names = {"INTERNAL_ERROR", "DECRYPTION_FAILED"})
    void everyCodeKeepsItsStatusAndCarriesTheMessageAsDetail(ErrorCode code) throws Exception {
        mvc.perform(get("/failing/code/{code}", code.name()))
                .andExpect(problem(code))
                .andExpect(jsonPath("$.detail").value("Referral r-9 from ngo-hotline failed"));
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"INTERNAL_ERROR", "DECRYPTION_FAILED"})
    void internalAndDecryptionFailuresCarryNoDetail(ErrorCode code) throws Exception {
        mvc.perform(get("/failing/code/{code}", code.name()))
                .andExpect(problem(code))
                .andExpect(noDetail())
                .andExpect(revealsNone("r-9", "ngo-hotline"));
    }

    @Test
    void schemaViolationsAreListed() throws Exception {
        mvc.perform(get("/failing/schema"))
                .andExpect(problem(ErrorCode.SCHEMA_VIOLATION))
                .andExpect(jsonPath("$.detail").value("1 schema violation(s)"))
                .andExpect(jsonPath("$.violations[0].line").value(4))
                .andExpect(jsonPath("$.violations[0].column").value(7))
                .andExpect(jsonPath("$.violations[0].message").value("cvc-datatype-valid.1.2.1"));
    }

    @Test
    void unexpectedExceptionIsInternalErrorWithoutNameMessageOrTrace() throws Exception {
        mvc.perform(get("/failing/unexpected"))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("IllegalState", "pool", "jdbc", "java.lang"));
    }

    @Test
    void checkedExceptionIsInternalErrorWithoutDetail() throws Exception {
        mvc.perform(get("/failing/checked"))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("IOException", "Broken pipe", "10.0.0.7"));
    }

    @Test
    void nullPointerIsInternalErrorWithoutDetail() throws Exception {
        mvc.perform(get("/failing/null"))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("NullPointer", "trim"));
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        mvc.perform(get("/api/v2/referrals"))
                .andExpect(problem(ErrorCode.NOT_FOUND))
                .andExpect(noDetail());
    }

    @Test
    void wrongMethodKeeps405AndNamesTheAllowedOnes() throws Exception {
        mvc.perform(put("/failing/schema"))
                .andExpect(problem(405, ErrorCode.METHOD_NOT_ALLOWED))
                .andExpect(header().string("Allow", "GET"))
                .andExpect(noDetail());
    }

    @Test
    void unreadableJsonIsInvalidRequestWithoutEchoingIt() throws Exception {
        mvc.perform(post("/failing/json").contentType(MediaType.APPLICATION_JSON).content("{\"decision\": \"<script>x"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(noDetail())
                .andExpect(revealsNone("script", "decision", "Unexpected end"));
    }

    @Test
    void missingParameterIsInvalidRequest() throws Exception {
        mvc.perform(get("/failing/param"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(noDetail());
    }

    @Test
    void parameterOfTheWrongTypeIsInvalidRequestWithoutEchoingIt() throws Exception {
        mvc.perform(get("/failing/param").param("n", "nine-hundred"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("The parameter n must be a whole number in range"))
                .andExpect(revealsNone("nine-hundred", "NumberFormat"));
    }
}

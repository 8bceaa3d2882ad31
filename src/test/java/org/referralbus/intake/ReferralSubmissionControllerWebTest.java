package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.referralbus.support.ProblemDetails.noDetail;
import static org.referralbus.support.ProblemDetails.problem;
import static org.referralbus.support.ProblemDetails.revealsNone;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.x509;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.RetryLaterException;
import org.referralbus.core.ReplayWindow;
import org.referralbus.dedupe.Receipt;
import org.referralbus.support.SampleKeys;
import org.referralbus.system.ApiSecurityForSlices;
import org.referralbus.validation.SchemaViolationException;
import org.referralbus.validation.Violation;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * Slice of the HTTPS intake: the controller, the problem-details advice and the real mutual-TLS security chain
 * ({@link ApiSecurityForSlices}); the agency is the sample certificate {@code ngo-hotline}, presented with MockMvc's
 * {@code x509(...)} as Tomcat presents a client certificate. The referral flow ({@code ProducerTemplate}) is a mock
 * that answers with a real, unstarted Camel exchange, so no broker, route or database runs. What the flow does
 * with an envelope is the full-application tests' business; here: what reaches it, the size limit in front of it,
 * and how its answers and failures become HTTP.
 */
@WebMvcTest(ReferralSubmissionController.class)
@Import({ApiSecurityForSlices.class, ReferralSubmissionControllerWebTest.Limits.class})
class ReferralSubmissionControllerWebTest {

    static final int LIMIT = 2048;
    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final X509Certificate AGENCY = SampleKeys.certificateOf("agencies", "ngo-hotline");
    private static final X509Certificate PROVIDER = SampleKeys.certificateOf("providers", "shelter-dushanbe");
    private static final Receipt RECEIPT = new Receipt(
            "{\"referralId\":\"r-1\",\"sender\":\"ngo-hotline\",\"status\":\"ROUTED\"}".getBytes(StandardCharsets.UTF_8),
            new byte[] {0x30, 0x03, 0x02, 0x01, 0x07});

    @TestConfiguration(proxyBeanMethods = false)
    static class Limits {
        /** Replaces the slice default: a small envelope limit to test against. */
        @Bean
        @Primary
        IntakeProperties submissionLimits() {
            return new IntakeProperties(LIMIT, new ReplayWindow(Duration.ofDays(30), Duration.ofMinutes(5)),
                    new IntakeProperties.RateLimit(true, 30, 60), new IntakeProperties.AddressLimit(true, 16),
                    new IntakeProperties.AnonymousLimit(16), Duration.ofMinutes(2),
                IntakeProperties.UploadPace.DEFAULTS);
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    WebApplicationContext context;

    @MockitoBean
    ProducerTemplate flow;

    @MockitoBean
    AuditTrail audit;

    private byte[] sentEnvelope;
    private Object sentTlsClient;

    @Test
    void acceptedReferralIsAnsweredWithTheSignedReceipt() throws Exception {
        flowAnswers(exchange -> exchange.getMessage().setBody(RECEIPT));

        mvc.perform(submit(envelope(100)))
                .andExpect(status().isAccepted())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(content().bytes(RECEIPT.json()))
                .andExpect(header().string(ReferralSubmissionController.SIGNATURE_HEADER,
                        Base64.getEncoder().encodeToString(RECEIPT.signature())))
                .andExpect(header().string(ReferralSubmissionController.DUPLICATE_HEADER, "false"));
    }

    @Test
    void theFlowGetsTheEnvelopeBytesAndTheAgencyOfTheClientCertificate() throws Exception {
        flowAnswers(exchange -> exchange.getMessage().setBody(RECEIPT));
        byte[] envelope = envelope(300);

        mvc.perform(submit(envelope)).andExpect(status().isAccepted());

        assertThat(sentEnvelope).isEqualTo(envelope);
        assertThat(sentTlsClient).isEqualTo("ngo-hotline");
    }

    @Test
    void repeatedSubmissionIsMarkedDuplicate() throws Exception {
        flowAnswers(exchange -> {
            exchange.getMessage().setBody(RECEIPT);
            exchange.getMessage().setHeader(Flow.Headers.DUPLICATE, true);
        });

        mvc.perform(submit(envelope(100)))
                .andExpect(status().isAccepted())
                .andExpect(header().string(ReferralSubmissionController.DUPLICATE_HEADER, "true"))
                .andExpect(content().bytes(RECEIPT.json()));
    }

    @Test
    void envelopeOfExactlyTheLimitIsAccepted() throws Exception {
        flowAnswers(exchange -> exchange.getMessage().setBody(RECEIPT));

        mvc.perform(submit(envelope(LIMIT))).andExpect(status().isAccepted());

        assertThat(sentEnvelope).hasSize(LIMIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain", "application/x-www-form-urlencoded", "application/pkcs7-signature"})
    void bodyOfAnotherMediaTypeIsRefusedWith415AndAuditedBeforeTheFlow(String type) throws Exception {
        mvc.perform(submit(envelope(100)).contentType(type))
                .andExpect(problem(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE));

        verifyNoInteractions(flow);
        verify(audit).record(AuditEvent.of(AuditEventType.REJECTED, null, "ngo-hotline")
                .withDetail(ErrorCode.UNSUPPORTED_MEDIA_TYPE.code()));
    }

    @Test
    void declaredLengthAboveTheLimitIsRefusedAndAuditedBeforeTheFlow() throws Exception {
        mvc.perform(submit(envelope(LIMIT + 1)))
                .andExpect(problem(ErrorCode.PAYLOAD_TOO_LARGE))
                .andExpect(jsonPath("$.detail").value("Envelope exceeds " + LIMIT + " bytes"));

        verifyNoInteractions(flow);
        verify(audit).record(AuditEvent.of(AuditEventType.REJECTED, null, "ngo-hotline")
                .withDetail(ErrorCode.PAYLOAD_TOO_LARGE.code()));
    }

    @Test
    void bodyOfUnknownLengthIsRefusedOnceItPassesTheLimit() throws Exception {
        MockMvc chunked = MockMvcBuilders.webAppContextSetup(context)
                .addFilters(unknownContentLength())
                .apply(springSecurity())
                .build();

        chunked.perform(submit(envelope(LIMIT + 1))).andExpect(problem(ErrorCode.PAYLOAD_TOO_LARGE));

        verifyNoInteractions(flow);
        verify(audit).record(AuditEvent.of(AuditEventType.REJECTED, null, "ngo-hotline")
                .withDetail(ErrorCode.PAYLOAD_TOO_LARGE.code()));
    }

    @Test
    void bodyOfUnknownLengthWithinTheLimitReachesTheFlow() throws Exception {
        flowAnswers(exchange -> exchange.getMessage().setBody(RECEIPT));
        MockMvc chunked = MockMvcBuilders.webAppContextSetup(context)
                .addFilters(unknownContentLength())
                .apply(springSecurity())
                .build();

        chunked.perform(submit(envelope(LIMIT))).andExpect(status().isAccepted());

        assertThat(sentEnvelope).hasSize(LIMIT);
    }

    /** Every code the flow rejects an envelope with keeps its status, and its message (ids only) as detail. */
    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"ENVELOPE_MALFORMED", "UNSUPPORTED_KEY_TRANSPORT", "SIGNATURE_INVALID",
            "SIGNER_UNTRUSTED", "SIGNER_MISMATCH", "FORBIDDEN", "SCHEMA_VIOLATION", "DUPLICATE_CONFLICT",
            "SUPERSEDES_UNKNOWN", "STALE_REFERRAL"})
    void rejectionByTheFlowIsAnsweredWithItsCode(ErrorCode code) throws Exception {
        flowAnswers(exchange -> exchange.setException(new ReferralBusException(code, "Referral r-1 refused")));

        mvc.perform(submit(envelope(100)))
                .andExpect(problem(code))
                .andExpect(jsonPath("$.detail").value("Referral r-1 refused"))
                .andExpect(header().doesNotExist(ReferralSubmissionController.SIGNATURE_HEADER));
    }

    @Test
    void referralStillInProgressElsewhereIs503WithRetryAfterInWholeSecondsRoundedUp() throws Exception {
        flowAnswers(exchange -> exchange.setException(new RetryLaterException(ErrorCode.REFERRAL_IN_PROGRESS,
                "Referral r-1 is still being processed elsewhere", Duration.ofMillis(12_300))));

        mvc.perform(submit(envelope(100)))
                .andExpect(status().isServiceUnavailable())
                .andExpect(problem(ErrorCode.REFERRAL_IN_PROGRESS))
                .andExpect(header().string("Retry-After", "13"))
                .andExpect(header().doesNotExist(ReferralSubmissionController.SIGNATURE_HEADER));
    }

    @Test
    void leaseEndingAnyMomentStillAsksForAtLeastOneSecond() throws Exception {
        flowAnswers(exchange -> exchange.setException(new RetryLaterException(ErrorCode.REFERRAL_IN_PROGRESS,
                "Referral r-1 is still being processed elsewhere", Duration.ZERO)));

        mvc.perform(submit(envelope(100)))
                .andExpect(problem(ErrorCode.REFERRAL_IN_PROGRESS))
                .andExpect(header().string("Retry-After", "1"));
    }

    /** Seen at every start with agencies retrying: Tomcat answers before Camel has started (it was a 500 and a stack trace). */
    @Test
    void envelopeArrivingBeforeTheFlowHasStartedIs503BusNotReadyWithRetryAfter() throws Exception {
        flowAnswers(exchange -> exchange.setException(new java.util.concurrent.RejectedExecutionException("CamelContext is stopped")));

        mvc.perform(submit(envelope(100)))
                .andExpect(status().isServiceUnavailable())
                .andExpect(problem(ErrorCode.BUS_NOT_READY))
                .andExpect(header().string("Retry-After", "2"))
                .andExpect(revealsNone("CamelContext", "Rejected"));
    }

    @Test
    void envelopeArrivingAfterTheFlowHasStoppedIs503BusNotReady() throws Exception {
        flowAnswers(exchange -> exchange.setException(new org.apache.camel.component.direct.DirectConsumerNotAvailableException(
                "No consumers available on endpoint", exchange)));

        mvc.perform(submit(envelope(100)))
                .andExpect(status().isServiceUnavailable())
                .andExpect(problem(ErrorCode.BUS_NOT_READY))
                .andExpect(header().string("Retry-After", "2"));
    }

    @Test
    void decryptionFailureCarriesNoDetail() throws Exception {
        flowAnswers(exchange -> exchange.setException(
                new ReferralBusException(ErrorCode.DECRYPTION_FAILED, "GCM tag mismatch for recipient 2")));

        mvc.perform(submit(envelope(100)))
                .andExpect(problem(ErrorCode.DECRYPTION_FAILED))
                .andExpect(noDetail())
                .andExpect(revealsNone("GCM", "recipient"));
    }

    @Test
    void schemaViolationsAreListedWithLineAndColumn() throws Exception {
        flowAnswers(exchange -> exchange.setException(new SchemaViolationException(List.of(
                new Violation(3, 14, "cvc-complex-type.2.4.a: consent expected"),
                new Violation(9, 2, "cvc-enumeration-valid: 'SPA' is not valid")))));

        mvc.perform(submit(envelope(100)))
                .andExpect(problem(ErrorCode.SCHEMA_VIOLATION))
                .andExpect(jsonPath("$.detail").value("2 schema violation(s)"))
                .andExpect(jsonPath("$.violations.length()").value(2))
                .andExpect(jsonPath("$.violations[0].line").value(3))
                .andExpect(jsonPath("$.violations[0].column").value(14))
                .andExpect(jsonPath("$.violations[0].message").value("cvc-complex-type.2.4.a: consent expected"))
                .andExpect(jsonPath("$.violations[1].line").value(9));
    }

    @Test
    void internalErrorOfTheFlowHidesItsMessage() throws Exception {
        flowAnswers(exchange -> exchange.setException(new ReferralBusException(ErrorCode.INTERNAL_ERROR,
                "Insert into referral failed at jdbc:h2:file:./data/db")));

        mvc.perform(submit(envelope(100)))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("jdbc", "referral failed"));
    }

    @Test
    void unexpectedFailureInsideTheFlowIsInternalErrorWithoutDetail() throws Exception {
        flowAnswers(exchange -> exchange.setException(new IllegalStateException("queue referrals.intake is full")));

        mvc.perform(submit(envelope(100)))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("IllegalState", "referrals.intake", "Referral flow failed"));
    }

    @Test
    void flowThatThrowsIsInternalErrorWithoutDetail() throws Exception {
        when(flow.send(eq(Flow.Endpoints.PROCESS_REFERRAL), any(Processor.class)))
                .thenThrow(new IllegalArgumentException("No consumers available on endpoint direct://process-referral"));

        mvc.perform(submit(envelope(100)))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("IllegalArgument", "consumers", "direct:"));
    }

    @Test
    void providerMayNotSubmit() throws Exception {
        mvc.perform(post("/api/v1/referrals").with(x509(PROVIDER))
                        .contentType("application/pkcs7-mime").content(envelope(100)))
                .andExpect(problem(ErrorCode.FORBIDDEN));

        verifyNoInteractions(flow);
    }

    @Test
    void submissionWithoutClientCertificateIsUnauthenticated() throws Exception {
        mvc.perform(post("/api/v1/referrals").contentType("application/pkcs7-mime").content(envelope(100)))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("unauthenticated"));

        verify(flow, never()).send(any(String.class), any(Processor.class));
    }

    private static MockHttpServletRequestBuilder submit(byte[] envelope) {
        return post("/api/v1/referrals").with(x509(AGENCY)).contentType("application/pkcs7-mime").content(envelope);
    }

    private static byte[] envelope(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 0x5a);
        bytes[0] = 0x30;
        return bytes;
    }

    /** The flow mock: runs the controller's processor on a fresh exchange, remembers what it set, then {@code outcome}. */
    private void flowAnswers(Consumer<Exchange> outcome) {
        when(flow.send(eq(Flow.Endpoints.PROCESS_REFERRAL), any(Processor.class))).thenAnswer(call -> {
            Exchange exchange = new DefaultExchange(CAMEL);
            call.getArgument(1, Processor.class).process(exchange);
            sentEnvelope = exchange.getIn().getBody(byte[].class);
            sentTlsClient = exchange.getIn().getHeader(Flow.Headers.TLS_CLIENT);
            outcome.accept(exchange);
            return exchange;
        });
    }

    /** As a chunked upload arrives: the body without a declared length. */
    private static Filter unknownContentLength() {
        return (request, response, chain) -> chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) request) {
            @Override
            public long getContentLengthLong() {
                return -1;
            }

            @Override
            public int getContentLength() {
                return -1;
            }
        }, response);
    }
}

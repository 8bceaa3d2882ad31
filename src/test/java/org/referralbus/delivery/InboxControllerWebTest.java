package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.referralbus.support.ProblemDetails.noDetail;
import static org.referralbus.support.ProblemDetails.problem;
import static org.referralbus.support.ProblemDetails.revealsNone;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.x509;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.delivery.Acknowledgements.DeclineReason;
import org.referralbus.delivery.Acknowledgements.Decision;
import org.referralbus.delivery.DeliveryLedger.DeliveryRow;
import org.referralbus.delivery.DeliveryLedger.State;
import org.referralbus.support.SampleKeys;
import org.referralbus.system.ApiSecurityForSlices;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Slice of the provider inbox with the real mutual-TLS security chain ({@link ApiSecurityForSlices}): the provider
 * is the sample certificate {@code shelter-dushanbe}, presented with MockMvc's {@code x509(...)}, so the id the
 * controller compares deliveries against comes from a certificate as in the running bus. The ledger and the
 * acknowledgement logic are mocks ({@link ProviderAnswers}, shared with the AMQP acknowledgement queue, is real):
 * here, what the provider may ask, what it gets back, and how refusals look.
 */
@WebMvcTest(InboxController.class)
@Import({ApiSecurityForSlices.class, InboxControllerWebTest.FixedClock.class, ProviderAnswers.class})
class InboxControllerWebTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:15:30Z");
    private static final X509Certificate PROVIDER = SampleKeys.certificateOf("providers", "shelter-dushanbe");
    private static final X509Certificate AGENCY = SampleKeys.certificateOf("agencies", "ngo-hotline");
    private static final OffsetDateTime DELIVERED_AT = OffsetDateTime.parse("2026-12-01T08:00:00Z");
    private static final DeliveryRow MINE = delivery("d-1", "shelter-dushanbe", State.FETCHED);
    private static final DeliveryRow OTHERS = delivery("d-2", "medical-dushanbe", State.FETCHED);

    @TestConfiguration(proxyBeanMethods = false)
    static class FixedClock {
        @Bean
        Clock clock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    DeliveryLedger deliveries;

    @MockitoBean
    Acknowledgements acknowledgements;

    @MockitoBean
    AuditTrail audit;

    @MockitoBean
    RefusalTally refusals;

    @Test
    void inboxListsThePendingDeliveriesOfTheCallingProvider() throws Exception {
        when(deliveries.pendingFor("shelter-dushanbe")).thenReturn(List.of(MINE,
                new DeliveryRow("d-3", "border-service", "r-3", "shelter-dushanbe", List.of("SHELTER", "MEDICAL"),
                        State.DELIVERED, "INBOX", "IMMEDIATE", DELIVERED_AT.plusHours(1), "case-notice")));

        mvc.perform(get("/api/v1/inbox").with(x509(PROVIDER)))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.deliveries.length()").value(2))
                .andExpect(jsonPath("$.deliveries[0].deliveryId").value("d-1"))
                .andExpect(jsonPath("$.deliveries[0].referralId").value("r-d-1"))
                .andExpect(jsonPath("$.deliveries[0].services[0]").value("SHELTER"))
                .andExpect(jsonPath("$.deliveries[0].urgency").value("ROUTINE"))
                .andExpect(jsonPath("$.deliveries[0].deliveredAt").value("2026-12-01T08:00:00Z"))
                .andExpect(jsonPath("$.deliveries[1].services.length()").value(2))
                .andExpect(jsonPath("$.deliveries[0].rule").value("regional:SHELTER"))
                .andExpect(jsonPath("$.deliveries[1].rule").value("case-notice"))
                // what the inbox shows is the need to know: no sender, channel or state
                .andExpect(jsonPath("$.deliveries[0].sender").doesNotExist())
                .andExpect(jsonPath("$.deliveries[0].channel").doesNotExist());
    }

    @Test
    void emptyInboxIsAnEmptyList() throws Exception {
        mvc.perform(get("/api/v1/inbox").with(x509(PROVIDER)))
                .andExpect(status().isOk())
                .andExpect(content().json("{\"deliveries\":[]}", JsonCompareMode.STRICT));
    }

    @Test
    void fetchReturnsTheSealedEnvelopeAsAnAttachmentAndRecordsIt() throws Exception {
        byte[] sealed = {0x30, (byte) 0x80, 0x06, 0x09};
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));
        when(deliveries.sealedEnvelope("d-1")).thenReturn(Optional.of(sealed));

        mvc.perform(get("/api/v1/inbox/d-1").with(x509(PROVIDER)))
                .andExpect(status().isOk())
                .andExpect(content().contentType("application/pkcs7-mime"))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"d-1.p7m\""))
                .andExpect(content().bytes(sealed));

        verify(deliveries).markFetched("d-1", OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC));
        verify(audit).record(AuditEvent.of(AuditEventType.FETCHED, "r-d-1", "shelter-dushanbe").withDetail("delivery:d-1"));
    }

    @Test
    void fetchOfUnknownDeliveryIsNotFound() throws Exception {
        mvc.perform(get("/api/v1/inbox/d-404").with(x509(PROVIDER)))
                .andExpect(problem(ErrorCode.NOT_FOUND))
                .andExpect(jsonPath("$.detail").value("No such delivery in your inbox"));

        verify(deliveries, never()).markFetched(any(), any());
        verifyNoInteractions(audit);
    }

    @Test
    void anotherProvidersDeliveryIsAnsweredExactlyLikeAnUnknownOne() throws Exception {
        when(deliveries.find("d-2")).thenReturn(Optional.of(OTHERS));
        String foreign = mvc.perform(get("/api/v1/inbox/d-2").with(x509(PROVIDER)))
                .andExpect(problem(ErrorCode.NOT_FOUND))
                .andReturn().getResponse().getContentAsString();

        when(deliveries.find("d-2")).thenReturn(Optional.empty());
        String unknown = mvc.perform(get("/api/v1/inbox/d-2").with(x509(PROVIDER)))
                .andReturn().getResponse().getContentAsString();

        assertThat(foreign).isEqualTo(unknown);
        verify(deliveries, never()).sealedEnvelope("d-2");
        verifyNoInteractions(audit);
    }

    @Test
    void acceptanceIsPassedOnAndAnsweredWithTheNewState() throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));
        when(acknowledgements.acknowledge(MINE, Decision.ACCEPTED, null))
                .thenReturn(delivery("d-1", "shelter-dushanbe", State.ACCEPTED));

        mvc.perform(ack("d-1", "{\"decision\":\"ACCEPTED\"}"))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.deliveryId").value("d-1"))
                .andExpect(jsonPath("$.state").value("ACCEPTED"));
    }

    @Test
    void closeIsPassedOnAndAnsweredWithTheNewState() throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));
        when(acknowledgements.close(MINE)).thenReturn(delivery("d-1", "shelter-dushanbe", State.CLOSED));

        mvc.perform(post("/api/v1/inbox/{id}/close", "d-1").with(x509(PROVIDER)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.deliveryId").value("d-1"))
                .andExpect(jsonPath("$.state").value("CLOSED"));
    }

    @Test
    void closingAnotherProvidersDeliveryIsNotFoundAndChangesNothing() throws Exception {
        when(deliveries.find("d-2")).thenReturn(Optional.of(OTHERS));

        mvc.perform(post("/api/v1/inbox/{id}/close", "d-2").with(x509(PROVIDER)))
                .andExpect(problem(ErrorCode.NOT_FOUND));

        verifyNoInteractions(acknowledgements);
    }

    @Test
    void decisionAndReasonAreReadWhateverTheirCase() throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));
        when(acknowledgements.acknowledge(MINE, Decision.DECLINED, DeclineReason.NO_CAPACITY))
                .thenReturn(delivery("d-1", "shelter-dushanbe", State.DECLINED));

        mvc.perform(ack("d-1", "{\"decision\":\"declined\",\"reason\":\"no_capacity\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("DECLINED"));
    }

    /** The reason is optional: Acknowledgements records a decline without one as OTHER. */
    @Test
    void declineWithoutReasonIsPassedOnWithoutOne() throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));
        when(acknowledgements.acknowledge(MINE, Decision.DECLINED, null))
                .thenReturn(delivery("d-1", "shelter-dushanbe", State.DECLINED));

        mvc.perform(ack("d-1", "{\"decision\":\"DECLINED\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("DECLINED"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"decision\":\"MAYBE\"}", "{\"decision\":\"ACCEPTED \"}", "{\"decision\":5}"})
    void unknownDecisionIsInvalidRequest(String body) throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));

        mvc.perform(ack("d-1", body))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("Unknown decision; expected one of [ACCEPTED, DECLINED]"));

        verifyNoInteractions(acknowledgements);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"decision\":null}", "{\"decision\":\"\"}", "{\"reason\":\"NO_CAPACITY\"}"})
    void missingDecisionIsInvalidRequest(String body) throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));

        mvc.perform(ack("d-1", body))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("Give decision: one of [ACCEPTED, DECLINED]"));

        verifyNoInteractions(acknowledgements);
    }

    @Test
    void unknownReasonIsInvalidRequest() throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));

        mvc.perform(ack("d-1", "{\"decision\":\"DECLINED\",\"reason\":\"BORED\"}"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value(
                        "Unknown reason; expected one of [NO_CAPACITY, OUT_OF_AREA, NOT_ELIGIBLE, PERSON_UNREACHABLE, OTHER]"));

        verifyNoInteractions(acknowledgements);
    }

    /** Not JSON, truncated JSON, JSON of the wrong shape or an empty body: 400 without echoing any of it. */
    @ParameterizedTest
    @ValueSource(strings = {"decision=ACCEPTED", "{\"decision\":\"ACCEPTED\"", "[\"ACCEPTED\"]",
            "{\"decision\":[\"ACCEPTED\"]}", "{\"decision\":{\"value\":\"ACCEPTED\"}}", ""})
    void bodyThatIsNotAnAcknowledgementIsInvalidRequestWithoutDetail(String body) throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));

        mvc.perform(ack("d-1", body))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(noDetail())
                .andExpect(revealsNone("ACCEPTED", "Jackson", "JSON parse"));

        verifyNoInteractions(acknowledgements);
    }

    /**
     * Spring MVC's own 415 keeps its status and gets the stable code unsupported_media_type; refused while Spring MVC
     * chose a handler, it is audited with the endpoint at the path, not as "(no endpoint)".
     */
    @Test
    void acknowledgementThatIsNotJsonIsUnsupportedMediaType() throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));

        mvc.perform(post("/api/v1/inbox/d-1/ack").with(x509(PROVIDER))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("decision=ACCEPTED"))
                .andExpect(problem(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE))
                .andExpect(noDetail());

        verifyNoInteractions(acknowledgements);
        verify(refusals).count(argThat(refused("shelter-dushanbe", "unsupported_media_type;POST /api/v1/inbox/{deliveryId}/ack")));
    }

    @Test
    void acknowledgementOfAnotherProvidersDeliveryIsNotFound() throws Exception {
        when(deliveries.find("d-2")).thenReturn(Optional.of(OTHERS));

        mvc.perform(ack("d-2", "{\"decision\":\"ACCEPTED\"}"))
                .andExpect(problem(ErrorCode.NOT_FOUND))
                .andExpect(jsonPath("$.detail").value("No such delivery in your inbox"));

        verifyNoInteractions(acknowledgements);
    }

    @Test
    void ownershipIsCheckedBeforeTheBody() throws Exception {
        mvc.perform(ack("d-404", "{\"decision\":\"MAYBE\"}")).andExpect(problem(ErrorCode.NOT_FOUND));
    }

    @Test
    void differentAnswerToAnAnsweredDeliveryIsAConflict() throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));
        when(acknowledgements.acknowledge(MINE, Decision.DECLINED, DeclineReason.OUT_OF_AREA)).thenThrow(
                new ReferralBusException(ErrorCode.ACKNOWLEDGEMENT_CONFLICT, "Delivery d-1 is already ACCEPTED"));

        mvc.perform(ack("d-1", "{\"decision\":\"DECLINED\",\"reason\":\"OUT_OF_AREA\"}"))
                .andExpect(problem(ErrorCode.ACKNOWLEDGEMENT_CONFLICT))
                .andExpect(jsonPath("$.detail").value("Delivery d-1 is already ACCEPTED"));
    }

    @Test
    void ledgerFailureIsInternalErrorWithoutDetail() throws Exception {
        when(deliveries.pendingFor("shelter-dushanbe"))
                .thenThrow(new DataAccessResourceFailureException("Connection to jdbc:postgresql://db:5432/bus refused"));

        mvc.perform(get("/api/v1/inbox").with(x509(PROVIDER)))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("DataAccess", "jdbc", "5432"));
    }

    @Test
    void failureWhileAcknowledgingIsInternalErrorWithoutDetail() throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));
        when(acknowledgements.acknowledge(MINE, Decision.ACCEPTED, null))
                .thenThrow(new IllegalStateException("No delivery row d-1 after update"));

        mvc.perform(ack("d-1", "{\"decision\":\"ACCEPTED\"}"))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("IllegalState", "row d-1"));
    }

    @Test
    void aCopyNoLongerKeptIsNotFoundAndSaysWhomToAskTheCoordinatorIncluded() throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));
        when(deliveries.sealedEnvelope("d-1")).thenReturn(Optional.empty());

        mvc.perform(get("/api/v1/inbox/d-1").with(x509(PROVIDER)))
                .andExpect(problem(ErrorCode.NOT_FOUND))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.endsWith(
                        "ask the coordinator, or, for the coordinator's own copy, the agency that sent the referral")));

        verify(deliveries, never()).markFetched(any(), any());
    }

    @Test
    void agencyMayNotReadAnInbox() throws Exception {
        mvc.perform(get("/api/v1/inbox").with(x509(AGENCY))).andExpect(problem(ErrorCode.FORBIDDEN));

        verifyNoInteractions(deliveries);
        verify(refusals).count(argThat(refused("ngo-hotline", "forbidden;GET (access rules)")));
    }

    @Test
    void aMethodTheEndpointDoesNotTakeIs405WithTheMethodsItTakesAndAudited() throws Exception {
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/v1/inbox/d-1").with(x509(PROVIDER)))
                .andExpect(problem(ErrorCode.METHOD_NOT_ALLOWED))
                .andExpect(header().string("Allow", "GET"));
        mvc.perform(get("/api/v1/inbox/d-1/ack").with(x509(PROVIDER)))
                .andExpect(problem(ErrorCode.METHOD_NOT_ALLOWED))
                .andExpect(header().string("Allow", "POST"));

        verifyNoInteractions(deliveries);
        verify(refusals).count(argThat(refused("shelter-dushanbe", "method_not_allowed;DELETE /api/v1/inbox/{deliveryId}")));
        verify(refusals).count(argThat(refused("shelter-dushanbe", "method_not_allowed;GET /api/v1/inbox/{deliveryId}/ack")));
    }

    @Test
    void anAcceptanceWithAReasonIsRefusedSinceOnlyADeclineTakesOne() throws Exception {
        when(deliveries.find("d-1")).thenReturn(Optional.of(MINE));

        mvc.perform(ack("d-1", "{\"decision\":\"ACCEPTED\",\"reason\":\"NO_CAPACITY\"}"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("A reason goes with DECLINED only; send ACCEPTED without one"));

        verifyNoInteractions(acknowledgements);
    }

    @Test
    void anAcceptHeaderTheEndpointCannotAnswerIsNotAcceptable() throws Exception {
        mvc.perform(get("/api/v1/inbox").with(x509(PROVIDER)).accept(MediaType.APPLICATION_XML))
                .andExpect(problem(406, ErrorCode.NOT_ACCEPTABLE));
    }

    @Test
    void aPathNoEndpointHasIsStillForbiddenNotAMethodProblem() throws Exception {
        mvc.perform(get("/api/v1/inbox/d-1/elsewhere").with(x509(PROVIDER))).andExpect(problem(ErrorCode.FORBIDDEN));
    }

    @Test
    void actingOnAnotherProvidersDeliveryIsAuditedWithTheEndpointNotTheId() throws Exception {
        when(deliveries.find("d-2")).thenReturn(Optional.of(OTHERS));

        mvc.perform(ack("d-2", "{\"decision\":\"ACCEPTED\"}")).andExpect(problem(ErrorCode.NOT_FOUND));

        verify(refusals).count(argThat(refused("shelter-dushanbe", "not_found;POST /api/v1/inbox/{deliveryId}/ack")));
    }

    @Test
    void anAcknowledgementOverFourKilobytesIsRefusedUnreadAndAudited() throws Exception {
        mvc.perform(ack("d-1", "{\"decision\":\"ACCEPTED\",\"reason\":\"" + "x".repeat(5_000) + "\"}"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("A JSON request is at most 4096 bytes"));

        verifyNoInteractions(acknowledgements);
        verify(refusals).count(argThat(refused("shelter-dushanbe", "invalid_request;POST /api/v1/inbox/{deliveryId}/ack")));
    }

    @Test
    void aMemberNamedTwiceIsRefusedNotTakenAsTheLastOne() throws Exception {
        mvc.perform(ack("d-1", "{\"decision\":\"ACCEPTED\",\"decision\":\"DECLINED\"}"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("The request names a member twice; send each of decision, reason once"));

        verifyNoInteractions(acknowledgements);
    }

    @Test
    void aMemberTheAcknowledgementDoesNotTakeIsRefusedNotIgnored() throws Exception {
        mvc.perform(ack("d-1", "{\"decision\":\"ACCEPTED\",\"note\":\"a name\"}"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("The request has a member it does not take; it takes only decision, reason"));

        verifyNoInteractions(acknowledgements);
    }

    private static org.mockito.ArgumentMatcher<AuditEvent> refused(String actor, String detail) {
        return event -> event.type() == AuditEventType.REJECTED && actor.equals(event.actor()) && event.referralId() == null
                && detail.equals(event.detail());
    }

    private static MockHttpServletRequestBuilder ack(String deliveryId, String json) {
        return post("/api/v1/inbox/{id}/ack", deliveryId).with(x509(PROVIDER))
                .contentType(MediaType.APPLICATION_JSON).content(json);
    }

    private static DeliveryRow delivery(String id, String provider, State state) {
        return new DeliveryRow(id, "ngo-hotline", "r-" + id, provider, List.of("SHELTER"), state, "INBOX", "ROUTINE",
                DELIVERED_AT, "regional:SHELTER");
    }
}

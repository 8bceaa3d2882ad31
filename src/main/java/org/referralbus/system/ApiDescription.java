package org.referralbus.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.referralbus.core.ErrorCode;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3.1 description the bus serves at {@code /v3/api-docs(.yaml)} (springdoc) and that is committed as
 * {@code docs/openapi.yaml}. Springdoc reads the controllers; this class adds what it cannot see: the problem
 * details each operation may answer, grouped by status, with their stable codes ({@code x-problem-codes}).
 * {@code ApiDescriptionEndToEndTest} fails when the committed file and the served description differ.
 */
@Configuration(proxyBeanMethods = false)
class ApiDescription {

    /** Every request may meet these: the certificate check, the role check, the limits, and a failure inside the bus. */
    private static final Set<ErrorCode> ANY_REQUEST = EnumSet.of(ErrorCode.CERTIFICATE_MALFORMED,
            ErrorCode.PARTICIPANT_NOT_REGISTERED, ErrorCode.PARTICIPANT_KEY_MISMATCH, ErrorCode.FORBIDDEN,
            ErrorCode.RATE_LIMITED, ErrorCode.CONCURRENCY_LIMITED, ErrorCode.INTERNAL_ERROR);

    /** What each operation adds, keyed by "METHOD path" as springdoc names the path. */
    private static final Map<String, Set<ErrorCode>> OPERATION_CODES = Map.ofEntries(
            Map.entry("POST /api/v1/referrals", EnumSet.of(ErrorCode.ENVELOPE_MALFORMED, ErrorCode.UNSUPPORTED_ENVELOPE,
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.DECRYPTION_FAILED, ErrorCode.UNSUPPORTED_KEY_TRANSPORT,
                    ErrorCode.SIGNATURE_INVALID, ErrorCode.SIGNER_UNTRUSTED, ErrorCode.SIGNER_MISMATCH,
                    ErrorCode.SCHEMA_VIOLATION, ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.STALE_REFERRAL,
                    ErrorCode.DUPLICATE_CONFLICT, ErrorCode.SUPERSEDES_UNKNOWN, ErrorCode.REFERRAL_IN_PROGRESS,
                    ErrorCode.BUS_NOT_READY, ErrorCode.UPLOAD_INCOMPLETE)),
            Map.entry("GET /api/v1/referrals/{referralId}/status", EnumSet.of(ErrorCode.NOT_FOUND)),
            Map.entry("GET /api/v1/inbox/{deliveryId}", EnumSet.of(ErrorCode.NOT_FOUND)),
            Map.entry("POST /api/v1/inbox/{deliveryId}/ack", EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.INVALID_REQUEST,
                    ErrorCode.ACKNOWLEDGEMENT_CONFLICT, ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UPLOAD_INCOMPLETE)),
            Map.entry("POST /api/v1/inbox/{deliveryId}/close", EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.ACKNOWLEDGEMENT_CONFLICT)),
            Map.entry("GET /api/v1/audit/events", EnumSet.of(ErrorCode.INVALID_REQUEST)),
            Map.entry("GET /api/v1/audit/referrals/{referralId}", EnumSet.of(ErrorCode.NOT_FOUND)),
            Map.entry("GET /api/v1/audit/tree-head", EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.INVALID_REQUEST)),
            Map.entry("GET /api/v1/audit/proofs/inclusion", EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.INVALID_REQUEST)),
            Map.entry("GET /api/v1/audit/proofs/consistency", EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.INVALID_REQUEST)),
            Map.entry("POST /api/v1/erasures", EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.INVALID_REQUEST,
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UPLOAD_INCOMPLETE)),
            Map.entry("GET /api/v1/statistics", EnumSet.of(ErrorCode.UNKNOWN_DIMENSION, ErrorCode.PERIOD_TOO_FINE,
                    ErrorCode.INVALID_REQUEST, ErrorCode.OUTCOMES_NOT_FINAL, ErrorCode.STATISTICS_NOT_READY)),
            Map.entry("GET /api/v1/cases/{caseId}", EnumSet.of(ErrorCode.NOT_FOUND)),
            Map.entry("POST /api/v1/cases/{caseId}/merge", EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.INVALID_REQUEST,
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UPLOAD_INCOMPLETE)),
            Map.entry("POST /api/v1/cases/{caseId}/split", EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.INVALID_REQUEST,
                    ErrorCode.REFERRAL_NOT_IN_CASE, ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UPLOAD_INCOMPLETE)),
            Map.entry("GET /api/v1/admin/dead-letters/{id}", EnumSet.of(ErrorCode.NOT_FOUND)),
            Map.entry("POST /api/v1/admin/dead-letters/{id}/redeliver", EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.INVALID_REQUEST,
                    ErrorCode.REDELIVERY_TOO_DEEP)));

    private static final String PROBLEM = "application/problem+json";

    @Bean
    OpenAPI referralBusOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Referral Bus").version("v1")
                        .description("Every call needs a client certificate from the deployment CA (mutual TLS). Errors are"
                                + " RFC 9457 problem details with a stable `code`; each operation lists its codes in"
                                + " `x-problem-codes`. Referral bodies are CMS envelopes, see docs/integrators.md."))
                .servers(List.of(new Server().url("https://localhost:8443").description("the bus with the sample configuration")));
    }

    @Bean
    OpenApiCustomizer problemCodes() {
        return openApi -> {
            openApi.setComponents(openApi.getComponents() == null ? new Components() : openApi.getComponents());
            openApi.getComponents().addSchemas("Problem", problemSchema());
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                    addProblems(operation, method + " " + path)));
            var submit = openApi.getPaths().get("/api/v1/referrals");
            if (submit != null && submit.getPost() != null) {
                describeSubmission(submit.getPost());
            }
        };
    }

    /** The controller reads the raw request and writes bytes: springdoc cannot see the envelope or the signed receipt. */
    private static void describeSubmission(Operation submit) {
        Schema<?> binary = typed("string").format("binary");
        submit.requestBody(new io.swagger.v3.oas.models.parameters.RequestBody().required(true)
                .description("CMS AuthEnvelopedData (AES-256-GCM) for the bus certificate, holding the agency's SignedData"
                        + " of a referral-v1.xsd document; DER, PEM or S/MIME")
                .content(new Content().addMediaType("application/pkcs7-mime", new MediaType().schema(binary))));
        submit.getResponses().remove("200");
        Schema<Object> receipt = typed("object");
        for (String field : List.of("referralId", "sender", "status", "receivedAt", "envelopeSha256")) {
            receipt.addProperty(field, typed("string"));
        }
        ApiResponse accepted = new ApiResponse()
                .description("The receipt, signed by the bus; the same bytes again for a repeated submission")
                .content(new Content().addMediaType("application/json", new MediaType().schema(receipt)));
        accepted.addHeaderObject("Referral-Bus-Receipt-Signature", new io.swagger.v3.oas.models.headers.Header()
                .description("base64 of a detached CMS signature by the bus over exactly the body bytes")
                .schema(typed("string")));
        accepted.addHeaderObject("Referral-Bus-Duplicate", new io.swagger.v3.oas.models.headers.Header()
                .description("true when this referral was already received (nothing is delivered twice)")
                .schema(typed("boolean")));
        submit.getResponses().addApiResponse("202", accepted);
        ApiResponse inProgress = submit.getResponses().get("503");
        if (inProgress != null) {
            inProgress.addHeaderObject("Retry-After", new io.swagger.v3.oas.models.headers.Header()
                    .description("seconds to wait: until the other attempt's processing lease runs out (referral_in_progress),"
                            + " or until the bus has started (bus_not_ready); retry then for the receipt")
                    .schema(typed("integer")));
        }
    }

    private static void addProblems(Operation operation, String key) {
        Set<ErrorCode> codes = EnumSet.copyOf(ANY_REQUEST);
        codes.addAll(OPERATION_CODES.getOrDefault(key, Set.of()));
        Map<Integer, List<ErrorCode>> byStatus = codes.stream()
                .collect(Collectors.groupingBy(ErrorCode::httpStatus, TreeMap::new, Collectors.toList()));
        if (!byStatus.containsKey(401)) {
            byStatus.put(401, new ArrayList<>());
        }
        byStatus.forEach((status, list) -> {
            List<String> names = new ArrayList<>(list.stream().map(ErrorCode::code).sorted().toList());
            if (status == 401) {
                names.add(0, "unauthenticated");
            }
            ApiResponse response = new ApiResponse()
                    .description("Problem details; code one of: " + String.join(", ", names))
                    .content(new Content().addMediaType(PROBLEM, new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
            response.addExtension("x-problem-codes", names);
            operation.getResponses().addApiResponse(String.valueOf(status), response);
        });
    }

    private static Schema<Object> typed(String type) {
        Schema<Object> schema = new Schema<>();
        schema.type(type);
        schema.types(new java.util.LinkedHashSet<>(List.of(type)));
        return schema;
    }

    private static Schema<?> problemSchema() {
        Schema<?> schema = typed("object").description("RFC 9457 problem details");
        schema.addProperty("type", typed("string"));
        schema.addProperty("title", typed("string"));
        schema.addProperty("status", typed("integer"));
        schema.addProperty("detail", typed("string"));
        Schema<Object> code = typed("string");
        List<String> all = new ArrayList<>(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
        all.add("unauthenticated");
        all.sort(String::compareTo);
        code.setEnum(new ArrayList<>(all));
        schema.addProperty("code", code.description("stable code to script against"));
        return schema;
    }

}

package org.referralbus.support;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** The audit chain as an auditor checks it after a crash test: over mutual TLS, with the sample auditor's certificate. */
public final class AuditChainCheck {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuditChainCheck() {
    }

    /** Empty if {@code GET /api/v1/audit/verify} says the chain is intact; else one problem with the bus's answer. */
    public static List<String> problems(BusProcess bus) throws Exception {
        MutualTlsClient auditor = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("auditors", "oversight-board"),
                SampleKeys.key("auditors", "oversight-board"));
        HttpResponse<byte[]> answer = auditor.get("/api/v1/audit/verify");
        return answer.statusCode() == 200 && JSON.readTree(answer.body()).path("intact").asBoolean() ? List.of()
                : List.of("audit chain does not verify: " + new String(answer.body(), StandardCharsets.UTF_8));
    }
}

package org.referralbus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Looks at what a request left behind: the answer (problem details without internals), the audit rows written
 * since a mark, and whether anything was delivered.
 */
public final class BusProbe {

    /** Words that would reveal the bus's internals to an attacker. */
    private static final String[] LEAKS = {"Exception", "at org.", "at java.", "java.", "org.bouncycastle", "org.apache",
            "springframework", "Tomcat", "stack", "trace"};

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private long auditMark;
    private long deliveryMark;

    public BusProbe(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Remembers the audit sequence and the number of deliveries now. */
    public BusProbe mark() {
        auditMark = jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);
        deliveryMark = deliveries();
        return this;
    }

    /** Asserts a problem+json answer with this status and code, and nothing that names the bus's internals. */
    public JsonNode assertProblem(HttpResponse<byte[]> response, int status, String code) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        String withoutViolations = problem.has("violations") ? body.replace(problem.get("violations").toString(), "") : body;
        assertThat(withoutViolations).doesNotContain(LEAKS);
        return problem;
    }

    /** Asserts one REJECTED audit row with {@code code} since {@link #mark()}, and no delivery since. */
    public void assertRejectedAndNothingDelivered(String code) {
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE seq > ? AND event_type = 'REJECTED'",
                String.class, auditMark)).containsExactly(code);
        assertThat(deliveries()).isEqualTo(deliveryMark);
    }

    private long deliveries() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM delivery", Long.class);
    }
}

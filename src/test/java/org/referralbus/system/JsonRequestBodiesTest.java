package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.io.IOContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON body is parsed once (until 2026-12-05 three times: leniently, strictly for repeated members, and by Jackson's
 * converter); only a refused one is read again, to say which defect it has. The answers themselves are
 * {@code InboxControllerWebTest}'s and {@code ProblemDetailsAdviceWebTest}'s.
 */
class JsonRequestBodiesTest {

    record Answer(String decision, String reason) {
    }

    private final AtomicInteger parses = new AtomicInteger();
    private final JsonRequestBodies bodies = new JsonRequestBodies(JsonMapper.builder(new JsonFactory() {
        @Override
        protected JsonParser _createParser(ObjectReadContext read, IOContext io, byte[] data, int offset, int length) {
            parses.incrementAndGet();
            return super._createParser(read, io, data, offset, length);
        }

        @Override
        protected JsonParser _createParser(ObjectReadContext read, IOContext io, InputStream in) {
            parses.incrementAndGet();
            return super._createParser(read, io, in);
        }
    }).build());

    @Test
    void anAcceptedBodyIsParsedOnceAndBound() {
        Object answer = bodies.bind(Answer.class, bytes("{\"decision\":\"DECLINED\",\"reason\":\"full\"}"), null);

        assertThat(answer).isEqualTo(new Answer("DECLINED", "full"));
        assertThat(parses).hasValue(1);
    }

    @Test
    void aRefusedBodyIsReadAgainOnlyToSayWhy() {
        assertThatThrownBy(() -> bodies.bind(Answer.class, bytes("{\"decision\":\"A\",\"decision\":\"B\",\"note\":\"x\"}"), null))
                .isInstanceOf(JsonRequestBodies.Refused.class).hasMessageStartingWith("The request has a member it does not take");
        assertThatThrownBy(() -> bodies.bind(Answer.class, bytes("{\"decision\":\"A\",\"decision\":\"B\"}"), null))
                .isInstanceOf(JsonRequestBodies.Refused.class).hasMessage("The request names a member twice; send each of decision, reason once");
        assertThatThrownBy(() -> bodies.bind(Answer.class, bytes("{\"decision\":"), null)).isInstanceOf(HttpMessageNotReadableException.class);
        assertThat(parses).hasValue(6);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

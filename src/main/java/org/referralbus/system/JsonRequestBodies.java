package org.referralbus.system;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every JSON body the API takes (an acknowledgement, a case correction, an erasure) is a small object: read at most
 * {@value #MAX_BYTES} bytes of it, and refuse a member its request does not have, or a member named twice, as the
 * acknowledgements over AMQP are refused ({@code invalid_request}). Without this a body was read whole however large,
 * and a member the bus ignores (a note with a name in it, say) was accepted as if it had been read.
 *
 * <p>A converter ahead of Jackson's for records, so the text is parsed once, strictly, into a tree that is checked and
 * then bound: until 2026-12-05 an advice before Jackson's converter parsed it leniently, again strictly for repeated
 * members, and Jackson a third time. Only a refused body is read a second time, leniently, to say which defect it has
 * (an unknown member is named before a repeated one, as before). Text that is no JSON, or does not bind, is refused
 * as Jackson's converter refuses it ({@link HttpMessageNotReadableException}).
 */
@Component
class JsonRequestBodies implements WebMvcConfigurer {

    static final int MAX_BYTES = 4096;

    private final JsonMapper json;
    /** The strict reader, made once: a repeated member name fails the parse. */
    private final ObjectReader strict;

    JsonRequestBodies(JsonMapper json) {
        this.json = json;
        this.strict = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder converters) {
        converters.addCustomConverter(new Records());
    }

    /** The record {@code type} that {@code body} holds, parsed once. */
    Object bind(Class<?> type, byte[] body, HttpInputMessage message) {
        List<String> members = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
        JsonNode tree;
        try {
            tree = strict.readTree(body);
        } catch (JacksonException strictlyRefused) {
            JsonNode lenient = lenientlyOrNull(body);
            if (lenient == null) {
                throw new HttpMessageNotReadableException("JSON parse error: " + strictlyRefused.getOriginalMessage(), strictlyRefused, message);
            }
            refuseUnknownMembers(lenient, members); // read leniently, only a repeated member name fails the strict read
            throw new Refused("The request names a member twice; send each of " + String.join(", ", members) + " once");
        }
        refuseUnknownMembers(tree, members);
        try {
            return json.treeToValue(tree, type);
        } catch (JacksonException unbound) {
            throw new HttpMessageNotReadableException("JSON parse error: " + unbound.getOriginalMessage(), unbound, message);
        }
    }

    private JsonNode lenientlyOrNull(byte[] body) {
        try {
            return json.readTree(body);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private static void refuseUnknownMembers(JsonNode tree, List<String> members) {
        if (tree != null && tree.isObject()) {
            for (String member : tree.propertyNames()) {
                if (!members.contains(member)) {
                    throw new Refused("The request has a member it does not take; it takes only " + String.join(", ", members));
                }
            }
        }
    }

    /**
     * A body refused before its endpoint's code ran, so an endpoint that audits its own refusals never saw it: the
     * web layer audits it ({@link ProblemDetailsAdvice}).
     */
    static final class Refused extends ReferralBusException {

        Refused(String message) {
            super(ErrorCode.INVALID_REQUEST, message);
        }

        Refused(ErrorCode code, String message, Throwable cause) {
            super(code, message, cause);
        }
    }

    private static byte[] bounded(InputStream in) {
        try (in) {
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) {
                throw new Refused("A JSON request is at most " + MAX_BYTES + " bytes");
            }
            return body;
        } catch (IOException cut) { // too slow or cut off: Tomcat's 408 (or 400), which the web layer answers and audits
            throw new Refused(ErrorCode.UPLOAD_INCOMPLETE, "The request's body did not arrive whole: send it again", cut);
        }
    }

    /** Reads JSON into records (every request body the API takes); writes nothing, which stays Jackson's. */
    private final class Records extends AbstractHttpMessageConverter<Object> {

        Records() {
            super(MediaType.APPLICATION_JSON, new MediaType("application", "*+json"));
        }

        @Override
        protected boolean supports(Class<?> type) {
            return type.isRecord();
        }

        @Override
        public boolean canWrite(Class<?> type, MediaType mediaType) {
            return false;
        }

        @Override
        protected Object readInternal(Class<?> type, HttpInputMessage message) throws IOException {
            return bind(type, bounded(message.getBody()), message);
        }

        @Override
        protected void writeInternal(Object value, HttpOutputMessage message) {
            throw new UnsupportedOperationException("Records are written by Jackson's converter");
        }
    }
}

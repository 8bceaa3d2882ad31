package org.referralbus.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.RepeatedMembers;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every JSON body the API takes (an acknowledgement, a case correction, an erasure) is a small object: read at most
 * {@value #MAX_BYTES} bytes of it, and refuse a member its request does not have, as the acknowledgements over AMQP
 * are refused ({@code invalid_request}). Without this a body was read whole however large, and a member the bus
 * ignores (a note with a name in it, say) was accepted as if it had been read.
 */
@ControllerAdvice
class JsonRequestBodies extends RequestBodyAdviceAdapter {

    static final int MAX_BYTES = 4096;

    private final JsonMapper json;

    JsonRequestBodies(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType instanceof Class<?> type && type.isRecord();
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
                                           Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        byte[] body = bounded(message.getBody());
        List<String> members = Arrays.stream(((Class<?>) targetType).getRecordComponents()).map(RecordComponent::getName).toList();
        try {
            JsonNode object = json.readTree(body);
            if (object != null && object.isObject()) {
                for (String member : object.propertyNames()) {
                    if (!members.contains(member)) {
                        throw new Refused("The request has a member it does not take; it takes only " + String.join(", ", members));
                    }
                }
                if (RepeatedMembers.in(json, new String(body, java.nio.charset.StandardCharsets.UTF_8))) {
                    throw new Refused("The request names a member twice; send each of " + String.join(", ", members) + " once");
                }
            }
        } catch (JacksonException unreadable) {
            // the converter refuses it next, with the same answer as any unreadable body
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return message.getHeaders();
            }
        };
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
}

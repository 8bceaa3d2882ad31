package org.referralbus.core;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.ObjectMapper;

/**
 * Whether a JSON text names a member twice. Jackson keeps the last of two members of one name, so
 * {@code {"decision":"ACCEPTED","decision":"DECLINED"}} was applied as a decline, over HTTPS and AMQP alike.
 */
public final class RepeatedMembers {

    private RepeatedMembers() {
    }

    /** Asked of a text a lenient read has accepted: only a repeated member name then fails the strict read. */
    public static boolean in(ObjectMapper json, String text) {
        try {
            json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(text);
            return false;
        } catch (JacksonException repeated) {
            return true;
        }
    }
}

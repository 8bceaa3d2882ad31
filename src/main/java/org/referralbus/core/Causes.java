package org.referralbus.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A failure's cause chain, walked once for everyone who asks what lies underneath a wrapped exception (a timed-out
 * socket under Tomcat's, a retry request under Camel's, a refused certificate under the HTTP client's). Each cause
 * appears once: a chain whose exception is its own cause, or loops further down, still ends.
 */
public final class Causes {

    private Causes() {
    }

    /** The failure and its causes, outermost first; empty for null. */
    public static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }

    /** The outermost exception of this type in the chain, if any. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        return chain(failure).stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}

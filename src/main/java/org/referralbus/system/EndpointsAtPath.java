package org.referralbus.system;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Which of the bus's endpoints a request's path names, whatever its method or media type, for a request refused
 * before Spring MVC chose a handler. The access rules deny every method they do not list, so without this a
 * {@code DELETE} on the inbox answered 403, which reads as "your certificate may not" when the caller only picked the
 * wrong method; and a refused media type was audited as "(no endpoint)".
 */
@Component
class EndpointsAtPath {

    /** The endpoint's path pattern and the methods it takes ({@code anyMethod}: one of its handlers takes all). */
    record Endpoint(String pattern, Set<String> methods, boolean anyMethod) {

        boolean takes(String method) {
            return anyMethod || methods.contains(method);
        }
    }

    private final ObjectProvider<RequestMappingHandlerMapping> mappings;

    EndpointsAtPath(@Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    /** The endpoint at the request's path, if the bus has one there. */
    Optional<Endpoint> at(HttpServletRequest request) {
        RequestMappingHandlerMapping mapping = mappings.getIfAvailable();
        if (mapping == null) {
            return Optional.empty();
        }
        if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
            ServletRequestPathUtils.parseAndCache(request);
        }
        String pattern = null;
        boolean anyMethod = false;
        Set<String> methods = new TreeSet<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            PathPatternsRequestCondition paths = info.getPathPatternsCondition();
            PathPatternsRequestCondition matching = paths == null ? null : paths.getMatchingCondition(request);
            if (matching != null && !matching.getFirstPattern().getPatternString().equals("/**")) {
                pattern = matching.getFirstPattern().getPatternString();
                anyMethod |= info.getMethodsCondition().getMethods().isEmpty();
                info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
            }
        }
        return pattern == null ? Optional.empty() : Optional.of(new Endpoint(pattern, methods, anyMethod));
    }

    /** The endpoint at the request's path, if there is one and it does not take the request's method. */
    Optional<Endpoint> withoutMethod(HttpServletRequest request) {
        return at(request).filter(endpoint -> !endpoint.takes(request.getMethod()));
    }
}

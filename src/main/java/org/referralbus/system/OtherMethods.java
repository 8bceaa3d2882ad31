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
 * Whether a refused request named one of the bus's endpoints with a method it does not take. The access rules deny
 * every method they do not list, so without this a {@code DELETE} on the inbox answered 403, which reads as "your
 * certificate may not" when the caller only picked the wrong method.
 */
@Component
class OtherMethods {

    /** The endpoint's path pattern and the methods it takes. */
    record Endpoint(String pattern, Set<String> methods) {
    }

    private final ObjectProvider<RequestMappingHandlerMapping> mappings;

    OtherMethods(@Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    /** The endpoint at the request's path, if there is one and it does not take the request's method. */
    Optional<Endpoint> endpointWithoutMethod(HttpServletRequest request) {
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
            if (matching != null) {
                pattern = matching.getFirstPattern().getPatternString();
                anyMethod |= info.getMethodsCondition().getMethods().isEmpty();
                info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
            }
        }
        return pattern == null || anyMethod || methods.contains(request.getMethod()) ? Optional.empty()
                : Optional.of(new Endpoint(pattern, methods));
    }
}

package org.referralbus.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.referralbus.support.RouteFiles;
import org.referralbus.support.RunningBus;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * What the route files name exists in the running bus: each bean a route calls is a Spring bean with exactly one
 * public method of that name (so Camel never has to guess between overloads), and each {@code direct:} endpoint a
 * route sends to is consumed by a route.
 */
class RouteWiringTest extends RunningBus {

    private static final RouteFiles ROUTES = RouteFiles.read();

    @Autowired
    ApplicationContext spring;
    @Autowired
    CamelContext camel;

    @Test
    void everyBeanMethodARouteCallsExistsOnceAndIsPublic() {
        assertThat(ROUTES.beanCalls()).isNotEmpty().allSatisfy(call -> {
            assertThat(spring.containsBean(call.ref())).as("bean %s", call.ref()).isTrue();
            Class<?> type = AopUtils.getTargetClass(spring.getBean(call.ref()));
            assertThat(Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(call.method())))
                    .as("public methods %s.%s", type.getSimpleName(), call.method())
                    .singleElement()
                    .satisfies(m -> assertThat(Modifier.isPublic(m.getDeclaringClass().getModifiers()))
                            .as("%s is public", m.getDeclaringClass()).isTrue());
        });
        assertThat(ROUTES.beanRefs()).allSatisfy(ref -> assertThat(spring.containsBean(ref)).as("bean %s", ref).isTrue());
    }

    @Test
    void everyDirectEndpointARouteSendsToIsConsumedByARoute() {
        Set<String> consumedInCamel = camel.getRoutes().stream().map(Route::getEndpoint)
                .map(e -> e.getEndpointUri().replace("direct://", "direct:")).collect(Collectors.toSet());
        assertThat(ROUTES.produced()).filteredOn(uri -> uri.startsWith("direct:")).isNotEmpty()
                .allSatisfy(uri -> {
                    assertThat(ROUTES.consumed()).as("a route file consumes %s", uri).contains(uri);
                    assertThat(consumedInCamel).as("a running route consumes %s", uri).contains(uri);
                });
    }

    @Test
    void everyRouteOfTheFilesRuns() {
        assertThat(ROUTES.routes()).allSatisfy(route -> assertThat(camel.getRoute((String) route.id()))
                .as("route %s", route.id()).isNotNull());
    }
}

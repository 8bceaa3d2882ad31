package org.referralbus.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.referralbus.broker.BrokerLayout;
import org.referralbus.support.RouteFiles;

/**
 * The route files cannot import {@link Flow}, so they spell its names out: each header, exchange property and
 * endpoint they use must be one {@link Flow} defines, and each one it defines must be used. Every step has an id.
 */
class FlowNamesTest {

    private static final RouteFiles ROUTES = RouteFiles.read();

    @Test
    void routesUseExactlyTheHeadersFlowDefines() {
        assertThat(ROUTES.headers()).containsExactlyInAnyOrderElementsOf(valuesOf(Flow.Headers.class));
    }

    @Test
    void routesUseExactlyThePropertiesFlowDefines() {
        assertThat(ROUTES.properties()).containsExactlyInAnyOrderElementsOf(valuesOf(Flow.Properties.class));
    }

    @Test
    void routesUseExactlyTheEndpointsFlowDefines() {
        Set<String> used = new TreeSet<>(ROUTES.consumed());
        used.addAll(ROUTES.produced());
        assertThat(used).containsExactlyInAnyOrderElementsOf(valuesOf(Flow.Endpoints.class));
    }

    @Test
    void everyStepRouteAndErrorHandlerHasItsOwnKebabCaseId() {
        assertThat(ROUTES.steps()).isNotEmpty().allSatisfy(step -> assertThat(step.id())
                .as("id of %s", step)
                .isInstanceOfSatisfying(String.class, id -> assertThat(id).matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")));
        List<Object> ids = ROUTES.steps().stream().map(RouteFiles.Step::id).toList();
        assertThat(ids).as("ids are unique, so weaveById finds one node").doesNotHaveDuplicates();
    }

    @Test
    void theBrokerLayoutDeclaresTheFlowsQueues() {
        Set<String> expected = valuesOf(Flow.Queues.class);
        expected.remove(Flow.Queues.DELIVERIES_PREFIX);
        expected.remove(Flow.Queues.ACKNOWLEDGEMENTS_PREFIX);
        expected.add(BrokerLayout.DEAD_LETTER_ADDRESS);
        assertThat(BrokerLayout.FIXED_QUEUES).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static TreeSet<String> valuesOf(Class<?> names) {
        return Arrays.stream(names.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(FlowNamesTest::value)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}

package org.referralbus.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The route files ({@code routes/*.camel.yaml}) read as plain YAML, for tests that check what they name: steps and
 * their ids, beans and methods, endpoints, headers and exchange properties.
 */
public final class RouteFiles {

    public static final Path DIRECTORY = Path.of("routes");

    private static final Pattern SIMPLE_KEY = Pattern.compile("\\$\\{(header|headers|exchangeProperty)\\.([A-Za-z0-9_]+)");
    private static final Set<String> SENDING = Set.of("to", "toD", "wireTap", "enrich", "pollEnrich");

    /** A step of a {@code steps} list (or an error handler, route or route configuration): its kind and settings. */
    public record Step(String file, String kind, Map<String, Object> settings) {
        public Object id() {
            return settings.get("id");
        }

        @Override
        public String toString() {
            return kind + " " + (id() != null ? id() : settings) + " in " + file;
        }
    }

    /** A bean method a route calls, as a {@code bean} step or a {@code method} expression. */
    public record BeanCall(String ref, String method) {
    }

    private final List<Step> steps = new ArrayList<>();
    private final List<Step> routes = new ArrayList<>();
    private final Set<BeanCall> beanCalls = new LinkedHashSet<>();
    private final Set<String> beanRefs = new LinkedHashSet<>();
    private final Set<String> consumed = new LinkedHashSet<>();
    private final Set<String> produced = new LinkedHashSet<>();
    private final Set<String> headers = new LinkedHashSet<>();
    private final Set<String> properties = new LinkedHashSet<>();

    private RouteFiles() {
    }

    public static RouteFiles read() {
        RouteFiles files = new RouteFiles();
        try (Stream<Path> paths = Files.list(DIRECTORY)) {
            for (Path path : paths.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(path)) {
                    List<?> document = new Yaml().load(reader);
                    for (Object top : document) {
                        files.visitTop(path.getFileName().toString(), asMap(top));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Every step of every {@code steps} list, plus error handlers, routes and route configurations. */
    public List<Step> steps() {
        return steps;
    }

    public List<Step> routes() {
        return routes;
    }

    public Set<BeanCall> beanCalls() {
        return beanCalls;
    }

    /** Beans named otherwise than as a call (an idempotent repository). */
    public Set<String> beanRefs() {
        return beanRefs;
    }

    /** The endpoints routes consume ({@code from}). */
    public Set<String> consumed() {
        return consumed;
    }

    /** The endpoints routes send to ({@code to}, {@code toD}, …). */
    public Set<String> produced() {
        return produced;
    }

    /** Headers the routes set, remove or read, except Camel's own ({@code Camel…}). */
    public Set<String> headers() {
        return headers;
    }

    /** Exchange properties the routes set or read, except Camel's own ({@code Camel…}). */
    public Set<String> properties() {
        return properties;
    }

    private void visitTop(String file, Map<String, Object> top) {
        for (Map.Entry<String, Object> entry : top.entrySet()) {
            Map<String, Object> settings = asMap(entry.getValue());
            Step step = new Step(file, entry.getKey(), settings);
            steps.add(step);
            if (entry.getKey().equals("route")) {
                routes.add(step);
                consumed.add((String) asMap(settings.get("from")).get("uri"));
            }
            visit(file, entry.getKey(), settings);
        }
    }

    private void visit(String file, String kind, Object node) {
        if (node instanceof String text) {
            collectKeys(text);
            return;
        }
        if (node instanceof List<?> list) {
            for (Object element : list) {
                visit(file, kind, element);
            }
            return;
        }
        if (!(node instanceof Map<?, ?>)) {
            return;
        }
        Map<String, Object> map = asMap(node);
        switch (kind) {
            case "bean" -> beanCalls.add(new BeanCall((String) map.get("ref"), (String) map.get("method")));
            // A method expression may bind parameters explicitly, "name(${header.X})": the method is the name.
            case "method" -> beanCalls.add(new BeanCall((String) map.get("ref"), ((String) map.get("method")).replaceFirst("\\(.*", "")));
            case "setHeader", "removeHeader" -> addKey(headers, (String) map.get("name"));
            case "setProperty", "removeProperty" -> addKey(properties, (String) map.get("name"));
            case "setHeaders" -> asList(map.get("headers")).forEach(h -> addKey(headers, (String) asMap(h).get("name")));
            default -> {
            }
        }
        if (map.get("idempotentRepository") instanceof String repository) {
            beanRefs.add(repository);
        }
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            if (SENDING.contains(key)) {
                produced.add(value instanceof String uri ? uri : (String) asMap(value).get("uri"));
            }
            if (key.equals("header") && value instanceof String name) {
                addKey(headers, name);
            }
            if (key.equals("steps")) {
                for (Object element : asList(value)) {
                    for (Map.Entry<String, Object> child : asMap(element).entrySet()) {
                        Map<String, Object> settings = child.getValue() instanceof Map<?, ?> ? asMap(child.getValue())
                                : Map.of("uri", String.valueOf(child.getValue()));
                        steps.add(new Step(file, child.getKey(), settings));
                        if (SENDING.contains(child.getKey())) {
                            produced.add((String) settings.get("uri"));
                        }
                        visit(file, child.getKey(), child.getValue());
                    }
                }
            } else if (key.equals("onException")) {
                for (Object element : asList(value)) {
                    Map<String, Object> handler = asMap(asMap(element).get("onException"));
                    steps.add(new Step(file, "onException", handler));
                    visit(file, "onException", handler);
                }
            } else {
                visit(file, key, value);
            }
        }
    }

    private void collectKeys(String text) {
        Matcher matcher = SIMPLE_KEY.matcher(text);
        while (matcher.find()) {
            addKey(matcher.group(1).startsWith("header") ? headers : properties, matcher.group(2));
        }
    }

    private static void addKey(Set<String> keys, String name) {
        if (name != null && !name.startsWith("Camel")) {
            keys.add(name);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object node) {
        return (Map<String, Object>) node;
    }

    private static List<?> asList(Object node) {
        return (List<?>) node;
    }
}

package org.referralbus.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;

/**
 * The bus's own copies of a class path resource: those in the folder or jar its classes come from, not the two hundred
 * libraries'. Asking every jar for a root-level pattern, or parsing Spring Boot's own configuration metadata, cost
 * the start-up about half a second before anything of the bus ran (performance-history.md, "Start-up, third pass").
 */
final class OwnResources {

    private OwnResources() {
    }

    /**
     * The copies of {@code name} that lie beside this class (a folder: {@code file:…/classes/}; the jar, extracted or
     * as it is: {@code jar:file:…!/}, {@code jar:nested:…!/}); every copy on the class path if none does, so a launch
     * this does not recognise reads more, never less.
     */
    static List<URL> named(String name) {
        List<URL> all;
        try {
            all = Collections.list(OwnResources.class.getClassLoader().getResources(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot look for " + name + " on the class path", e);
        }
        String home = withoutJarScheme(OwnResources.class.getProtectionDomain().getCodeSource().getLocation().toString());
        List<URL> own = all.stream().filter(url -> withoutJarScheme(url.toString()).startsWith(home)).toList();
        return own.isEmpty() ? all : own;
    }

    private static String withoutJarScheme(String url) {
        return url.startsWith("jar:") ? url.substring("jar:".length()) : url;
    }
}

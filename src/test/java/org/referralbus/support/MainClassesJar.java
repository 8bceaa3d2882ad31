package org.referralbus.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** This build's main classes as a jar, and the test classpath with that jar in place of the class folders. */
public final class MainClassesJar {

    private MainClassesJar() {
    }

    /** Writes {@code target/classes} into {@code jar}, as the packaged jar holds them. */
    public static Path write(Path jar) throws IOException {
        Path classes = Path.of("target/classes").toAbsolutePath();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            // Directory entries too: component scanning finds its base package through them.
            for (Path file : files.filter(file -> !file.equals(classes)).toList()) {
                String name = classes.relativize(file).toString().replace(File.separatorChar, '/');
                out.putNextEntry(new JarEntry(Files.isDirectory(file) ? name + "/" : name));
                if (Files.isRegularFile(file)) {
                    Files.copy(file, out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The test classpath with the main classes replaced by the jar, and without the test classes: jars only. */
    public static String classpathWith(Path jar) {
        String classes = Path.of("target/classes").toAbsolutePath().toString();
        String testClasses = Path.of("target/test-classes").toAbsolutePath().toString();
        return Stream.concat(Stream.of(jar.toString()), Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(entry -> !Path.of(entry).toAbsolutePath().toString().equals(classes)
                                && !Path.of(entry).toAbsolutePath().toString().equals(testClasses)))
                .collect(Collectors.joining(File.pathSeparator));
    }
}

package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.MainClassesJar;

class OwnResourcesTest {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    @Test
    void fromTheClassFolderOnlyTheBussOwnCopyOfAResourceIsRead() throws Exception {
        assertThat(Collections.list(getClass().getClassLoader().getResources(METADATA))).as("Spring Boot's jars carry theirs too")
                .hasSizeGreaterThan(1);

        assertThat(OwnResources.named(METADATA)).singleElement().asString()
                .startsWith(Path.of("target/classes").toAbsolutePath().toUri().toURL().toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void fromTheBussJarOnlyItsOwnCopyIsRead(@TempDir Path temp) throws Exception {
        Path jar = MainClassesJar.write(temp.resolve("referral-bus.jar"));
        List<URL> classPath = new ArrayList<>();
        for (String entry : MainClassesJar.classpathWith(jar).split(File.pathSeparator)) {
            classPath.add(Path.of(entry).toUri().toURL());
        }
        try (URLClassLoader launched = new URLClassLoader(classPath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Method named = launched.loadClass(OwnResources.class.getName()).getDeclaredMethod("named", String.class);
            named.setAccessible(true);

            assertThat((List<URL>) named.invoke(null, METADATA)).singleElement().asString()
                    .isEqualTo("jar:" + jar.toUri().toURL() + "!/" + METADATA);
            assertThat((List<URL>) named.invoke(null, "application.yaml")).singleElement().asString()
                    .isEqualTo("jar:" + jar.toUri().toURL() + "!/application.yaml");
        }
    }

    @Test
    void aResourceTheBusDoesNotCarryIsLookedForEverywhere() {
        assertThat(OwnResources.named("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"))
                .hasSizeGreaterThan(1);
    }
}

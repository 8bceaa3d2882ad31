package org.referralbus.system;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.system.ApplicationHome;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Sets {@value #PROPERTY}, the folder the packaged configuration's relative files ({@code routes/},
 * {@code keys-sample/}, {@code data/}) are found in, unless the operator set it: the folder of the jar (or of the
 * checkout, for a jar in Maven's {@code target/}), or the working directory when the bus runs from classes
 * (development and tests). So the jar starts from any working directory, and
 * {@code audit verify} finds the same files as the bus. Added last, so any other source may override it.
 */
class HomeFolder implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    static final String PROPERTY = "referral-bus.home";
    private static final String ROUTES = "routes";

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        if (!environment.containsProperty(PROPERTY)) {
            environment.getPropertySources().addLast(new MapPropertySource("referral-bus-home",
                    Map.of(PROPERTY, defaultHome().toString())));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    static Path defaultHome() {
        File source = new ApplicationHome(HomeFolder.class).getSource();
        if (source != null && source.isFile()) {
            return homeOfJarIn(source.getAbsoluteFile().getParentFile().toPath());
        }
        return Path.of(System.getProperty("user.dir")).toAbsolutePath();
    }

    /**
     * The jar's folder, as installed next to its configuration; but a jar Maven just built in a checkout's
     * {@code target/} (the README's {@code java -jar target/referral-bus.jar}) belongs to the checkout, whose
     * {@code routes/} is one level up. The folder itself when neither holds {@code routes/}: the start then says which
     * file is missing there.
     */
    static Path homeOfJarIn(Path jarFolder) {
        Path checkout = jarFolder.getParent();
        if (!Files.isDirectory(jarFolder.resolve(ROUTES)) && jarFolder.getFileName() != null
                && jarFolder.getFileName().toString().equals("target") && checkout != null
                && Files.isDirectory(checkout.resolve(ROUTES))) {
            return checkout;
        }
        return jarFolder;
    }
}

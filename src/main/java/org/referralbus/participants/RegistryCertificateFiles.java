package org.referralbus.participants;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.referralbus.core.Sha256;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * What the certificate files a registry names hold now, as one hash. A registry is re-read when its file changes; a
 * renewal ({@code participant add} for an id already issued) rewrites the certificate file the registry names and
 * leaves the registry's text as it was, so the bus went on binding the participant to its old key and refused the
 * new certificate until a restart.
 */
public final class RegistryCertificateFiles {

    private RegistryCertificateFiles() {
    }

    /** SHA-256 over each {@code certificate:} path in the file (relative to it) and that file's bytes; "" if unreadable. */
    public static String digest(Path registry) {
        Map<String, String> certificates = new TreeMap<>();
        try {
            for (var source : new YamlPropertySourceLoader().load(registry.toString(), new FileSystemResource(registry))) {
                if (source instanceof EnumerablePropertySource<?> properties) {
                    for (String name : properties.getPropertyNames()) {
                        if (name.endsWith(".certificate") && properties.getProperty(name) != null) {
                            certificates.put(name, String.valueOf(properties.getProperty(name)));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return ""; // the registry's own reload names the problem
        }
        Path base = registry.toAbsolutePath().getParent();
        StringBuilder all = new StringBuilder();
        for (Map.Entry<String, String> certificate : certificates.entrySet()) {
            String content;
            try {
                content = Sha256.hex(Files.readAllBytes(base.resolve(certificate.getValue())));
            } catch (IOException | RuntimeException unreadable) {
                content = "unreadable";
            }
            all.append(certificate.getKey()).append('=').append(certificate.getValue()).append(':').append(content).append('\n');
        }
        return Sha256.hex(all.toString().getBytes(StandardCharsets.UTF_8));
    }
}

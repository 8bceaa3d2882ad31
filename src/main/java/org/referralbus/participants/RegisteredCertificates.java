package org.referralbus.participants;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;

/**
 * Reads one list of a registry file ({@code agencies}, {@code auditors}, {@code admins}): each entry an id, a name
 * and the path of the participant's certificate, relative to the file. Every problem stops the bus with a message
 * naming the file, the entry and what is wrong. The certificate must name the entry's id and role; its validity
 * dates are not checked here (only its key is used, so a renewal on the same key needs no change to the file).
 */
final class RegisteredCertificates {

    /** One line of a registry list; {@code callback} only for agencies (their status-callback URL, optional). */
    record Entry(String id, String name, String certificate, String callback) {
    }

    private RegisteredCertificates() {
    }

    /** The list {@code list} of {@code file}, by id; empty if the file has no such list. */
    static Map<String, X509Certificate> load(Path file, String list, ParticipantRole role) {
        List<Entry> entries = entries(file, list);
        Path base = file.toAbsolutePath().getParent();
        Map<String, X509Certificate> certificates = new LinkedHashMap<>();
        for (Entry entry : entries) {
            String what = "Registry " + file + ": " + list + " entry '" + entry.id() + "'";
            try {
                new ParticipantIdentity(entry.id(), role);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Registry " + file + ": id '" + entry.id() + "' is not a participant id");
            }
            if (entry.name() == null || entry.name().isBlank()) {
                throw new IllegalStateException(what + " has no name");
            }
            if (certificates.containsKey(entry.id())) {
                throw new IllegalStateException(what + " is listed twice");
            }
            certificates.put(entry.id(), certificate(entry, base, role, what));
        }
        return Map.copyOf(certificates);
    }

    /**
     * The status-callback URLs of the list's entries that have one. Only {@code https} URLs: the events travel under
     * the bus's client certificate and carry the bus's signature, and a plain-HTTP receiver would show ids to the network.
     */
    static Map<String, java.net.URI> callbacks(Path file, String list) {
        Map<String, java.net.URI> callbacks = new LinkedHashMap<>();
        for (Entry entry : entries(file, list)) {
            if (entry.callback() == null || entry.callback().isBlank()) {
                continue;
            }
            java.net.URI uri;
            try {
                uri = java.net.URI.create(entry.callback().trim());
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalStateException("Registry " + file + ": " + list + " entry '" + entry.id()
                        + "': callback must be an https:// URL");
            }
            callbacks.put(entry.id(), uri);
        }
        return Map.copyOf(callbacks);
    }

    private static List<Entry> entries(Path file, String list) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("Registry " + file + " cannot be read");
        }
        try {
            Binder binder = new Binder(new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file))
                    .stream().map(ConfigurationPropertySource::from).toList());
            return binder.bind(list, Bindable.listOf(Entry.class)).orElse(List.of());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Registry " + file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static X509Certificate certificate(Entry entry, Path base, ParticipantRole role, String what) {
        if (entry.certificate() == null || entry.certificate().isBlank()) {
            throw new IllegalStateException(what + " has no certificate");
        }
        Path path = base.resolve(entry.certificate());
        X509Certificate certificate;
        ParticipantIdentity identity;
        try (InputStream in = Files.newInputStream(path)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            identity = ParticipantIdentity.of(certificate);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException(what + ": certificate " + path + " cannot be read or names no participant");
        }
        if (!identity.equals(new ParticipantIdentity(entry.id(), role))) {
            throw new IllegalStateException(what + ": certificate " + path + " belongs to '" + identity.id() + "' ("
                    + identity.role() + ")");
        }
        return certificate;
    }
}

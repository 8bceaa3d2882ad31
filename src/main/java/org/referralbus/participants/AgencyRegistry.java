package org.referralbus.participants;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.referralbus.core.Sha256;

/**
 * The agencies that may submit ({@code routes/agencies.yaml}), each with its certificate. A certificate from the CA
 * says who someone claims to be; this list says whether that agency takes part in the referral mechanism now, and
 * with which key ({@link RegistryBinding}). Read and checked at start-up: a wrong file stops the bus with a message
 * naming the problem. Afterwards {@link #reloadIfChanged()} re-reads the file when its content, or a certificate file it
 * names, changes, like the
 * provider registry: a valid file replaces the list at once (an agency removed can no longer submit, on HTTPS or the
 * queue); a wrong one is refused and the list in force stays. Thread-safe: each check sees one whole list.
 */
public final class AgencyRegistry implements ParticipantRegister {

    /** What a reload did; {@code fileSha256} names the file content it looked at, {@code problem} why it refused it. */
    public record Reload(Outcome outcome, String fileSha256, String problem) {
    }

    public enum Outcome { UNCHANGED, RELOADED, REFUSED }

    /** {@code certificatesSha256}: the certificate files the registry names, so that a renewal in place is seen. */
    private record Snapshot(Map<String, X509Certificate> certificates, Map<String, URI> callbacks, String fileSha256,
                            String certificatesSha256) {
    }

    private static final String UNREADABLE = "unreadable";

    private final Path file;
    private final AtomicReference<Snapshot> current;

    private AgencyRegistry(Path file, Snapshot snapshot) {
        this.file = file;
        this.current = new AtomicReference<>(snapshot);
    }

    public static AgencyRegistry load(Path file) {
        String sha = sha256(file);
        return new AgencyRegistry(file, new Snapshot(read(file), RegisteredCertificates.callbacks(file, "agencies"), sha,
                RegistryCertificateFiles.digest(file)));
    }

    /** The sha-256 of the file content in force (or last refused), as the audit trail names it. */
    public String fileSha256() {
        return current.get().fileSha256();
    }

    /** Re-reads the file if its content changed since the last look. */
    public synchronized Reload reloadIfChanged() {
        Snapshot before = current.get();
        String sha;
        try {
            sha = sha256(file);
        } catch (IllegalStateException unreadable) {
            if (UNREADABLE.equals(before.fileSha256())) {
                return new Reload(Outcome.UNCHANGED, UNREADABLE, null);
            }
            current.set(new Snapshot(before.certificates(), before.callbacks(), UNREADABLE, before.certificatesSha256()));
            return new Reload(Outcome.REFUSED, UNREADABLE, unreadable.getMessage());
        }
        String certificates = RegistryCertificateFiles.digest(file);
        if (sha.equals(before.fileSha256()) && certificates.equals(before.certificatesSha256())) {
            return new Reload(Outcome.UNCHANGED, sha, null);
        }
        try {
            current.set(new Snapshot(read(file), RegisteredCertificates.callbacks(file, "agencies"), sha, certificates));
            return new Reload(Outcome.RELOADED, sha, null);
        } catch (IllegalStateException wrong) {
            // refuse this content once, not on every look
            current.set(new Snapshot(before.certificates(), before.callbacks(), sha, certificates));
            return new Reload(Outcome.REFUSED, sha, wrong.getMessage());
        }
    }

    /** Where the agency {@code id} wants its status events (an https URL), if it registered one. */
    public Optional<URI> callback(String id) {
        return Optional.ofNullable(current.get().callbacks().get(id));
    }

    /** How many agencies are listed. */
    public int size() {
        return current.get().certificates().size();
    }

    /** Every listed agency's certificate, by id. */
    public Map<String, X509Certificate> certificates() {
        return Map.copyOf(current.get().certificates());
    }

    /** The registered certificate of the agency {@code id}, if it is listed. */
    public Optional<X509Certificate> certificate(String id) {
        return Optional.ofNullable(current.get().certificates().get(id));
    }

    @Override
    public List<X509Certificate> certificatesOf(ParticipantIdentity identity) {
        return identity.role() == ParticipantRole.AGENCY ? certificate(identity.id()).stream().toList() : List.of();
    }

    private static Map<String, X509Certificate> read(Path file) {
        Map<String, X509Certificate> certificates = RegisteredCertificates.load(file, "agencies", ParticipantRole.AGENCY);
        if (certificates.isEmpty()) {
            throw new IllegalStateException("Agency registry " + file + " lists no agency");
        }
        return certificates;
    }

    private static String sha256(Path file) {
        try {
            return Sha256.hex(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalStateException("Agency registry " + file + " cannot be read");
        }
    }
}

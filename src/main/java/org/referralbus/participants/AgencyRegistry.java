package org.referralbus.participants;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;

/**
 * The agencies that may submit ({@code routes/agencies.yaml}). A certificate says who someone is; this list says
 * whether that agency takes part in the referral mechanism now. Read and checked once at start-up: a wrong file
 * stops the bus with a message naming the problem. Immutable.
 */
public final class AgencyRegistry {

    /** One line of the file. */
    record AgencyEntry(String id, String name) {
    }

    private final Set<String> ids;

    private AgencyRegistry(Set<String> ids) {
        this.ids = Set.copyOf(ids);
    }

    public static AgencyRegistry load(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("Agency registry " + file + " cannot be read");
        }
        List<AgencyEntry> entries;
        try {
            Binder binder = new Binder(new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file))
                    .stream().map(ConfigurationPropertySource::from).toList());
            entries = binder.bind("agencies", Bindable.listOf(AgencyEntry.class)).orElse(List.of());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Agency registry " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("Agency registry " + file + " lists no agency");
        }
        Set<String> ids = new HashSet<>();
        for (AgencyEntry entry : entries) {
            try {
                new ParticipantIdentity(entry.id(), ParticipantRole.AGENCY);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Agency registry " + file + ": id '" + entry.id() + "' is not a participant id");
            }
            if (entry.name() == null || entry.name().isBlank()) {
                throw new IllegalStateException("Agency registry " + file + ": agency '" + entry.id() + "' has no name");
            }
            if (!ids.add(entry.id())) {
                throw new IllegalStateException("Agency registry " + file + ": agency '" + entry.id() + "' is listed twice");
            }
        }
        return new AgencyRegistry(ids);
    }

    /** Whether {@code identity} is an agency of the mechanism: an agency certificate and a listed id. */
    public boolean admits(ParticipantIdentity identity) {
        return identity.role() == ParticipantRole.AGENCY && ids.contains(identity.id());
    }
}

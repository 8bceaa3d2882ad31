package org.referralbus.audit;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Witnesses of the signed tree heads outside the bus: whoever holds the bus key could re-sign a rewritten trail,
 * but cannot move a timestamp an authority signed, nor a line the oversight body already collected.
 *
 * @param tsaUrl         RFC 3161 time-stamping authority (HTTP POST, application/timestamp-query); each signed tree head
 *                       is timestamped there. Unset: no timestamps
 * @param tsaCertificate PEM certificate of that authority; the verifier accepts a token only under it. Unset: tokens are
 *                       not checked, and a head counts as anchored only by the heads file
 * @param headsFile      file each signed tree head is appended to, one line per head, for the oversight body to collect
 *                       (copy it off the machine: a copy on the bus's own disk witnesses nothing). Unset: no file
 * @param timeout        how long to wait for the authority; a head it did not timestamp is retried at the next interval
 */
@Validated
@ConfigurationProperties("referral-bus.audit.anchoring")
public record AnchoringProperties(URI tsaUrl, Path tsaCertificate, Path headsFile,
                                  @DefaultValue("10s") @NotNull Duration timeout) {

    /** No anchoring at all (the default). */
    public static AnchoringProperties none() {
        return new AnchoringProperties(null, null, null, Duration.ofSeconds(10));
    }
}

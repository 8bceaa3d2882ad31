package org.referralbus.envelope;

import java.time.Instant;
import java.util.Objects;

/**
 * An envelope exactly as its sender sealed it, kept since the bus admitted it, and when that was. Opened again to
 * re-route a need, tell a provider about its case, or count it in the statistics: its signer is judged as of
 * {@code admittedAt} ({@link EnvelopeOpener#reopen}).
 *
 * @param sealed     the envelope, encrypted for the bus
 * @param admittedAt when the bus received it and checked its signer
 */
public record AdmittedEnvelope(byte[] sealed, Instant admittedAt) {

    public AdmittedEnvelope {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(admittedAt, "admittedAt");
    }
}

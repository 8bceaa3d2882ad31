package org.referralbus.dedupe;

/**
 * The receipt the sender gets: exact JSON bytes and a detached CMS signature by the bus over exactly those bytes.
 * Stored so that a repeated submission gets the very same bytes back.
 */
public record Receipt(byte[] json, byte[] signature) {
}

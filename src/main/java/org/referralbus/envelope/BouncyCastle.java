package org.referralbus.envelope;

import java.security.Provider;
import java.security.SecureRandom;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance and random source the envelope code uses. The provider is passed
 * to every JCA builder explicitly and is deliberately not registered with {@code Security.addProvider}, so
 * the rest of the JVM is unaffected. The command line's key check uses it too.
 */
public final class BouncyCastle {

    public static final Provider PROVIDER = new BouncyCastleProvider();

    /** Thread-safe; seeds content-encryption keys, GCM nonces and ephemeral ECDH keys. */
    static final SecureRandom RANDOM = new SecureRandom();

    private BouncyCastle() {
    }
}

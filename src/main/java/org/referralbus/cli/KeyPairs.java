package org.referralbus.cli;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import org.referralbus.envelope.BouncyCastle;

/** Whether a private key is the one a certificate was issued for, checked by signing with one and verifying with the other. */
final class KeyPairs {

    private static final byte[] PROBE = "referral-bus key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairs() {
    }

    /** Bouncy Castle names its EC keys "ECDSA", the JDK "EC". */
    private static String type(String algorithm) {
        return "ECDSA".equals(algorithm) ? "EC" : algorithm;
    }

    static boolean belongTogether(X509Certificate certificate, PrivateKey key) {
        String type = type(key.getAlgorithm());
        String algorithm = switch (type) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // a key type this check does not know: the TLS handshake decides
        }
        if (!type.equals(type(certificate.getPublicKey().getAlgorithm()))) {
            return false;
        }
        try {
            // PEM keys come from Bouncy Castle, whose key objects the JDK's signatures do not take
            Signature signer = Signature.getInstance(algorithm, BouncyCastle.PROVIDER);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, BouncyCastle.PROVIDER);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

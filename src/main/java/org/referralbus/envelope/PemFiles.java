package org.referralbus.envelope;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * Reads keys and certificates from PEM, once at start-up. Private keys must be unencrypted: PKCS#8
 * ({@code BEGIN PRIVATE KEY}) or the traditional SEC1 / PKCS#1 forms ({@code BEGIN EC PRIVATE KEY},
 * {@code BEGIN RSA PRIVATE KEY}). Failures are {@link ErrorCode#INTERNAL_ERROR}: they are configuration
 * errors of the bus or of a client, never a sender's fault.
 */
public final class PemFiles {

    private PemFiles() {
    }

    public static PrivateKey readPrivateKey(Path path) {
        return readPrivateKey(readAll(path), path.toString());
    }

    public static PrivateKey readPrivateKey(InputStream in) {
        try (in) {
            return readPrivateKey(in.readAllBytes(), "stream");
        } catch (IOException e) {
            throw unreadable("private key", "stream", e);
        }
    }

    public static PrivateKey readPrivateKey(byte[] pem) {
        return readPrivateKey(pem, "bytes");
    }

    public static X509Certificate readCertificate(Path path) {
        return single(readCertificates(readAll(path), path.toString()), path.toString());
    }

    public static X509Certificate readCertificate(byte[] pem) {
        return single(readCertificates(pem, "bytes"), "bytes");
    }

    public static X509Certificate readCertificate(InputStream in) {
        try (in) {
            return readCertificate(in.readAllBytes());
        } catch (IOException e) {
            throw unreadable("certificate", "stream", e);
        }
    }

    /** All certificates of a PEM bundle, in file order; at least one. */
    public static List<X509Certificate> readCertificates(Path path) {
        return readCertificates(readAll(path), path.toString());
    }

    public static List<X509Certificate> readCertificates(byte[] pem) {
        return readCertificates(pem, "bytes");
    }

    private static PrivateKey readPrivateKey(byte[] pem, String source) {
        try (PEMParser parser = new PEMParser(reader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BouncyCastle.PROVIDER);
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR,
                    "No unencrypted private key in " + source);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ReferralBusException rbe) {
                throw rbe;
            }
            throw unreadable("private key", source, e);
        }
    }

    private static List<X509Certificate> readCertificates(byte[] pem, String source) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : factory.generateCertificates(new ByteArrayInputStream(pem))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "No certificate in " + source);
            }
            return List.copyOf(certificates);
        } catch (CertificateException e) {
            throw unreadable("certificate", source, e);
        }
    }

    private static X509Certificate single(List<X509Certificate> certificates, String source) {
        if (certificates.size() != 1) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR,
                    "Expected one certificate in " + source + ", found " + certificates.size());
        }
        return certificates.get(0);
    }

    private static byte[] readAll(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Cannot read " + path, e);
        }
    }

    private static Reader reader(byte[] pem) {
        return new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII);
    }

    private static ReferralBusException unreadable(String what, String source, Exception cause) {
        return new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Unreadable " + what + " in " + source, cause);
    }
}

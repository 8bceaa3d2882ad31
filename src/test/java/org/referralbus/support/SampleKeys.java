package org.referralbus.support;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.PemFiles;

/** The committed sample PKI ({@code keys-sample/}), as the running bus uses it by default. */
public final class SampleKeys {

    public static final Path ROOT = Path.of("keys-sample");

    private SampleKeys() {
    }

    public static X509Certificate ca() {
        return PemFiles.readCertificate(ROOT.resolve("ca.crt"));
    }

    public static X509Certificate busCertificate() {
        return PemFiles.readCertificate(ROOT.resolve("bus/bus.crt"));
    }

    public static Path certificate(String folder, String id) {
        return ROOT.resolve(folder).resolve(id + ".crt");
    }

    /** A participant's certificate, e.g. {@code certificateOf("agencies", "ngo-hotline")}. */
    public static X509Certificate certificateOf(String folder, String id) {
        return PemFiles.readCertificate(certificate(folder, id));
    }

    public static Path key(String folder, String id) {
        return ROOT.resolve(folder).resolve(id + ".key");
    }

    public static PrivateKey privateKey(String folder, String id) {
        return PemFiles.readPrivateKey(key(folder, id));
    }

    /** Seals as an agency does: signed with the agency's key, encrypted for the bus. */
    public static EnvelopeSealer agencySealer(String agencyId) {
        return new EnvelopeSealer(privateKey("agencies", agencyId),
                PemFiles.readCertificate(certificate("agencies", agencyId)));
    }
}

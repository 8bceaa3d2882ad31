package org.referralbus.envelope;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.referralbus.participants.CertificateTrust;

/**
 * Not a test: CPU time per envelope operation on one thread (open, seal one copy, sign a receipt) with the sample
 * keys and a published example, the inputs of {@code bench/CryptoCeiling}. Thread CPU time rather than wall time, so
 * other processes on a busy machine distort it less. Run from the project folder; see docs/performance.md,
 * "Crypto and XML per referral".
 */
public final class EnvelopeCpuProbe {

    private interface Operation {
        void run() throws Exception;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private EnvelopeCpuProbe() {
    }

    public static void main(String[] args) throws Exception {
        int operations = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        Path keys = Path.of("keys-sample");
        PrivateKey busKey = PemFiles.readPrivateKey(keys.resolve("bus/bus.key"));
        X509Certificate busCertificate = PemFiles.readCertificate(keys.resolve("bus/bus.crt"));
        X509Certificate provider = PemFiles.readCertificate(keys.resolve("providers/shelter-dushanbe.crt"));
        List<X509Certificate> anchors = PemFiles.readCertificates(keys.resolve("ca.crt"));
        byte[] referral = Files.readAllBytes(Path.of("schemas/examples/border-service-adult-woman-shelter-dushanbe.xml"));
        byte[] envelope = new EnvelopeSealer(PemFiles.readPrivateKey(keys.resolve("agencies/border-service.key")),
                PemFiles.readCertificate(keys.resolve("agencies/border-service.crt"))).seal(referral, busCertificate);
        EnvelopeSealer sealer = new EnvelopeSealer(busKey, busCertificate);
        EnvelopeOpener opener = new EnvelopeOpener(busKey, busCertificate,
                new CertificateTrust(anchors, Clock.systemUTC()));
        for (int round = 1; round <= 2; round++) { // the first round also warms up the JIT compiler
            time("round " + round + " open", operations, () -> opener.open(envelope));
            time("round " + round + " seal", operations, () -> sealer.seal(referral, provider));
            time("round " + round + " sign receipt", operations, () -> sealer.signDetached(referral));
        }
    }

    private static void time(String name, int operations, Operation operation) throws Exception {
        for (int i = 0; i < operations; i++) {
            operation.run();
        }
        long wall = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < operations; i++) {
            operation.run();
        }
        System.out.printf(Locale.ROOT, "%-24s cpu %7.3f ms  wall %7.3f ms%n", name,
                (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6 / operations, (System.nanoTime() - wall) / 1e6 / operations);
    }
}

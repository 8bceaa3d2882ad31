package org.referralbus.bench;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.participants.CertificateTrust;

/**
 * The crypto-bound ceiling: what the bus must do at least for each referral, on every core at once, with nothing
 * else (no HTTP, XML, database or broker). One operation mix per round: open one agency envelope (decrypt, verify
 * the signature and the signer's certificate), seal one provider copy (sign + encrypt), sign one receipt. Each
 * operation is timed separately, so the ceiling can be stated for the number of copies the bus actually sealed per
 * referral: {@code threads / (open + copies x seal + sign)}.
 *
 * <p>A timed loop rather than JMH: the loop runs for a fixed time after a warm-up of the same length, on as many
 * threads as the machine has cores, each with its own sealer and opener (no shared state but the keys).
 */
final class CryptoCeiling {

    /** Mean nanoseconds per operation with every core busy, and the threads that ran them. */
    record Cost(double openNanos, double sealNanos, double signNanos, int threads, long rounds) {

        double referralsPerSecond(double copies) {
            return threads * 1e9 / (openNanos + copies * sealNanos + signNanos);
        }
    }

    private final PrivateKey busKey;
    private final X509Certificate busCertificate;
    private final List<X509Certificate> anchors;
    private final X509Certificate provider;

    CryptoCeiling(PrivateKey busKey, X509Certificate busCertificate, List<X509Certificate> anchors, X509Certificate provider) {
        this.busKey = busKey;
        this.busCertificate = busCertificate;
        this.anchors = anchors;
        this.provider = provider;
    }

    /** Warms up for {@code seconds}, then measures for {@code seconds}; {@code progress} gets rounds done so far. */
    Cost measure(List<byte[]> envelopes, int threads, double seconds, LongConsumer progress) throws Exception {
        run(envelopes, threads, seconds, r -> { });
        return run(envelopes, threads, seconds, progress);
    }

    private Cost run(List<byte[]> envelopes, int threads, double seconds, LongConsumer progress) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        try {
            List<Future<long[]>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                workers.add(pool.submit(() -> loop(envelopes, offset, end, done)));
            }
            while (workers.stream().anyMatch(w -> !w.isDone())) {
                Thread.sleep(250);
                progress.accept(done.get());
            }
            long open = 0;
            long seal = 0;
            long sign = 0;
            long rounds = 0;
            for (Future<long[]> worker : workers) {
                long[] sums = worker.get();
                open += sums[0];
                seal += sums[1];
                sign += sums[2];
                rounds += sums[3];
            }
            return new Cost((double) open / rounds, (double) seal / rounds, (double) sign / rounds, threads, rounds);
        } finally {
            pool.shutdownNow();
        }
    }

    private long[] loop(List<byte[]> envelopes, int offset, long end, java.util.concurrent.atomic.AtomicLong done) {
        EnvelopeOpener opener = new EnvelopeOpener(busKey, busCertificate, new CertificateTrust(anchors, Clock.systemUTC()));
        EnvelopeSealer sealer = new EnvelopeSealer(busKey, busCertificate);
        long[] sums = new long[4];
        for (int i = offset; System.nanoTime() < end; i++) {
            long t0 = System.nanoTime();
            byte[] content = opener.open(envelopes.get(i % envelopes.size())).content();
            long t1 = System.nanoTime();
            sealer.seal(content, provider);
            long t2 = System.nanoTime();
            sealer.signDetached(content);
            long t3 = System.nanoTime();
            sums[0] += t1 - t0;
            sums[1] += t2 - t1;
            sums[2] += t3 - t2;
            sums[3]++;
            done.incrementAndGet();
        }
        return sums;
    }
}

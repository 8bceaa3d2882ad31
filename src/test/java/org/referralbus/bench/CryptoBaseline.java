package org.referralbus.bench;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;

/**
 * The crypto-bound ceiling for one core: per referral, what the bus must do at least (open the agency's envelope,
 * sign and seal three provider copies and sign one receipt), without HTTP, XML, database or broker. Compare the
 * load generator's referrals/s against this figure times the cores.
 * <pre>java -cp target/test-classes:target/classes:$(cat target/classpath.txt) org.referralbus.bench.CryptoBaseline 300</pre>
 */
public final class CryptoBaseline {

    private CryptoBaseline() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        byte[] xml = ReferralExamples.example("border-service-adult-woman-shelter-dushanbe").getBytes(StandardCharsets.UTF_8);
        EnvelopeSealer agency = SampleKeys.agencySealer("border-service");
        List<byte[]> envelopes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            envelopes.add(agency.seal(xml, SampleKeys.busCertificate()));
        }
        EnvelopeOpener opener = new EnvelopeOpener(SampleKeys.privateKey("bus", "bus"), SampleKeys.busCertificate(),
                new CertificateTrust(List.of(SampleKeys.ca()), Clock.systemUTC()));
        EnvelopeSealer bus = new EnvelopeSealer(SampleKeys.privateKey("bus", "bus"), SampleKeys.busCertificate());
        var provider = PemFiles.readCertificate(SampleKeys.certificate("providers", "shelter-dushanbe"));
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            for (byte[] envelope : envelopes) {
                byte[] content = opener.open(envelope).content();
                for (int copy = 0; copy < 3; copy++) {
                    bus.seal(content, provider);
                }
                bus.signDetached(content);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: %d referrals (open + 3 seals + 1 signature) in %.2f s on one thread: %.1f referrals/s%n",
                    round == 0 ? "warm-up" : "measured", count, seconds, count / seconds);
        }
    }
}

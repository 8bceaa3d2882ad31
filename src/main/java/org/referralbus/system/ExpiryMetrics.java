package org.referralbus.system;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.referralbus.participants.RevocationLists;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * What runs out in a bus's second year, in seconds from now (negative once past): {@code
 * referralbus.bus.certificate.expiry.seconds}, the certificate agencies encrypt for and the trail and receipts are
 * signed with (Spring Boot's {@code ssl.chain.expiry} covers only the HTTPS one), and {@code
 * referralbus.crl.next.update.seconds}, when a fresh CRL is due (-1 with none configured). Nothing else warned before
 * they lapsed.
 */
@Component
class ExpiryMetrics {

    private final Clock clock;

    ExpiryMetrics(@Qualifier("busCertificate") X509Certificate busCertificate, RevocationLists revocations, Clock clock,
                  MeterRegistry registry) {
        this.clock = clock;
        Gauge.builder("referralbus.bus.certificate.expiry.seconds", this, metrics -> metrics.secondsUntil(busCertificate.getNotAfter().toInstant()))
                .description("seconds until the bus certificate expires").baseUnit("seconds").register(registry);
        Gauge.builder("referralbus.crl.next.update.seconds", this,
                        metrics -> revocations.earliestNextUpdate().map(metrics::secondsUntil).orElse(-1.0))
                .description("seconds until the earliest nextUpdate of the CRLs in force (-1: none)").baseUnit("seconds").register(registry);
    }

    private double secondsUntil(Instant when) {
        return Duration.between(clock.instant(), when).toSeconds();
    }
}

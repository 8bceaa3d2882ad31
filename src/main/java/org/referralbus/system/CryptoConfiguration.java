package org.referralbus.system;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.CertificateTrust;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the bus's keys and trust anchors once at start-up; the envelope beans reuse them for every message. */
@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    X509Certificate busCertificate(BusIdentityProperties identity) {
        return PemFiles.readCertificate(identity.certificate());
    }

    @Bean
    CertificateTrust certificateTrust(BusIdentityProperties identity, Clock clock) {
        List<X509Certificate> anchors = PemFiles.readCertificates(identity.trustAnchors());
        return new CertificateTrust(anchors, clock);
    }

    @Bean
    EnvelopeOpener envelopeOpener(BusIdentityProperties identity, X509Certificate busCertificate,
                                  CertificateTrust certificateTrust) {
        PrivateKey key = PemFiles.readPrivateKey(identity.privateKey());
        return new EnvelopeOpener(key, busCertificate, certificateTrust);
    }

    @Bean
    EnvelopeSealer busSealer(BusIdentityProperties identity, X509Certificate busCertificate) {
        return new EnvelopeSealer(PemFiles.readPrivateKey(identity.privateKey()), busCertificate);
    }
}

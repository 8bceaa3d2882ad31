package org.referralbus.system;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.PemFiles;
import org.referralbus.intake.IntakeProperties;
import org.referralbus.participants.CertificateTrust;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the bus's key, certificate and trust anchors once at start-up; the envelope beans reuse them for every message. */
@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

    /** The bus's key pair as loaded from disk; kept in one bean so the key file is read once. */
    record BusKey(PrivateKey privateKey, X509Certificate certificate) {
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    BusKey busKey(BusIdentityProperties identity) {
        return new BusKey(PemFiles.readPrivateKey(identity.privateKey()), PemFiles.readCertificate(identity.certificate()));
    }

    @Bean
    X509Certificate busCertificate(BusKey busKey) {
        return busKey.certificate();
    }

    @Bean
    CertificateTrust certificateTrust(BusIdentityProperties identity, Clock clock) {
        return new CertificateTrust(PemFiles.readCertificates(identity.trustAnchors()), clock);
    }

    @Bean
    EnvelopeOpener envelopeOpener(BusKey busKey, CertificateTrust certificateTrust, IntakeProperties intake) {
        return new EnvelopeOpener(busKey.privateKey(), busKey.certificate(), certificateTrust, intake.maxEnvelopeBytes());
    }

    @Bean
    EnvelopeSealer busSealer(BusKey busKey) {
        return new EnvelopeSealer(busKey.privateKey(), busKey.certificate());
    }
}

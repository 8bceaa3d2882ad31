package org.referralbus.system;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.referralbus.core.BusKey;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.ReplayWindow;
import org.referralbus.core.TrustAnchors;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.audit.BusSignatures;
import org.referralbus.envelope.PemFiles;
import org.referralbus.intake.IntakeProperties;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.participants.ParticipantIdentity;
import org.referralbus.participants.ParticipantRegister;
import org.referralbus.participants.RevocationLists;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the bus's key, certificate and trust anchors once at start-up; the envelope beans reuse them for every message. */
@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    BusKey busKey(BusIdentityProperties identity) {
        return BusKeyLoader.load(identity.current());
    }

    @Bean
    X509Certificate busCertificate(BusKey busKey) {
        return busKey.certificate();
    }

    /** The key being retired during a rotation, read once (three beans use it; a keystore's read is slow), or none. */
    record PreviousBusKey(Optional<BusKey> key) {
    }

    @Bean
    PreviousBusKey previousBusKey(BusIdentityProperties identity) {
        return new PreviousBusKey(Optional.ofNullable(identity.previous()).map(BusKeyLoader::load));
    }

    /** The current certificate first, then the previous one during a rotation. */
    private static List<X509Certificate> inForce(BusKey busKey, PreviousBusKey previous) {
        List<X509Certificate> certificates = new ArrayList<>();
        certificates.add(busKey.certificate());
        previous.key().ifPresent(key -> certificates.add(key.certificate()));
        return List.copyOf(certificates);
    }

    /** Whose signatures on the trail's checkpoints and tree heads are the bus's (every key it has had, as configured). */
    @Bean
    BusSignatures busSignatures(BusKey busKey, PreviousBusKey previous, BusIdentityProperties identity) {
        return new BusSignatures(BusKeyLoader.withRetired(inForce(busKey, previous), identity));
    }

    @Bean
    TrustAnchors trustAnchors(BusIdentityProperties identity) {
        return new TrustAnchors(PemFiles.readCertificates(identity.trustAnchors()));
    }

    @Bean
    RevocationLists revocationLists(BusIdentityProperties identity, TrustAnchors anchors, Clock clock) {
        return new RevocationLists(identity.crlFiles(), anchors.certificates(),
                identity.crlCheckInterval(), clock);
    }

    @Bean
    CertificateTrust certificateTrust(TrustAnchors anchors, RevocationLists revocations, Clock clock) {
        return new CertificateTrust(anchors.certificates(), clock, revocations);
    }

    /** The current key first; during a rotation the previous one too, so envelopes sealed for it still open. */
    @Bean
    EnvelopeOpener envelopeOpener(BusKey busKey, PreviousBusKey previous, CertificateTrust certificateTrust,
                                  IntakeProperties intake) {
        List<Map.Entry<PrivateKey, X509Certificate>> keys = new ArrayList<>();
        keys.add(Map.entry(busKey.privateKey(), busKey.certificate()));
        previous.key().ifPresent(key -> keys.add(Map.entry(key.privateKey(), key.certificate())));
        return new EnvelopeOpener(keys, certificateTrust, intake.maxEnvelopeBytes());
    }

    /**
     * The bus is registered with its own certificate (and the previous one during a rotation): a certificate with
     * {@code OU=bus} on any other key speaks for no one.
     */
    @Bean
    ParticipantRegister busRegister(BusKey busKey, PreviousBusKey previous) {
        List<X509Certificate> registered = inForce(busKey, previous);
        ParticipantIdentity bus;
        try {
            bus = ParticipantIdentity.of(busKey.certificate());
        } catch (ReferralBusException e) {
            return participant -> List.of(); // a bus certificate that names no participant registers none
        }
        return participant -> participant.equals(bus) ? registered : List.of();
    }

    /** The replay window of the intake, shared with validation (which must not depend on the intake). */
    @Bean
    ReplayWindow replayWindow(IntakeProperties intake) {
        return intake.replayWindow();
    }

    @Bean
    EnvelopeSealer busSealer(BusKey busKey) {
        return new EnvelopeSealer(busKey.privateKey(), busKey.certificate());
    }
}

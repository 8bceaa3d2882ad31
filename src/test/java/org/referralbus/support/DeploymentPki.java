package org.referralbus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.CertificateTrust;

/**
 * A deployment made by {@code docs/recipes/production.sh setup} in {@code conf} (its {@code CONF}): the CA and the bus
 * certificate in {@code keys/}, each participant's key and certificate in {@code participants/}, the secrets in
 * {@code secrets.env}. Tests talk to a bus of that deployment as its participants would.
 */
public record DeploymentPki(Path conf) {

    public Path caFile() {
        return conf.resolve("keys/ca.crt");
    }

    public X509Certificate ca() {
        return PemFiles.readCertificate(caFile());
    }

    public X509Certificate busCertificate() {
        return PemFiles.readCertificate(conf.resolve("keys/referral-bus.crt"));
    }

    public Path certificate(String participantId) {
        return conf.resolve("participants").resolve(participantId + ".crt");
    }

    public Path key(String participantId) {
        return conf.resolve("participants").resolve(participantId + ".key");
    }

    /** Seals as the agency does: signed with its key, encrypted for the bus. */
    public EnvelopeSealer agencySealer(String agencyId) {
        return new EnvelopeSealer(PemFiles.readPrivateKey(key(agencyId)), PemFiles.readCertificate(certificate(agencyId)));
    }

    /** HTTPS to a bus node as this participant. */
    public MutualTlsClient https(String baseUrl, String participantId) {
        return MutualTlsClient.as(baseUrl, certificate(participantId), key(participantId), ca());
    }

    /** JMS (CORE) to a broker's participants' acceptor as this participant. */
    public ActiveMQConnectionFactory broker(int port, String participantId) {
        return BrokerClients.withKey(port, certificate(participantId), key(participantId), caFile());
    }

    /** Opens a copy as the provider does, checking the bus's signature against this deployment's CA. */
    public OpenedEnvelope open(String providerId, byte[] sealed) {
        return new EnvelopeOpener(PemFiles.readPrivateKey(key(providerId)), PemFiles.readCertificate(certificate(providerId)),
                new CertificateTrust(List.of(ca()), Clock.systemUTC())).open(sealed);
    }

    /** The values of secrets.env long enough to be secrets (keystore passwords): none may appear in any output. */
    public List<String> secrets() {
        try {
            return Files.readAllLines(conf.resolve("secrets.env")).stream().map(line -> line.replaceFirst("^[^=]*=", ""))
                    .filter(value -> value.length() >= 8).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.referralbus.support;

import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.CertificateTrust;
import org.springframework.jms.core.JmsTemplate;

/**
 * Reads a provider's queue as the provider would: takes its sealed copies and opens them with its own key. Over the
 * broker's TLS acceptor with the provider's certificate ({@link #overTls}), or through a given template (the bus's
 * in-VM connection).
 */
public final class ProviderInbox {

    private final Function<String, JmsTemplate> templates;
    private final BiFunction<String, byte[], OpenedEnvelope> opener;

    public ProviderInbox(JmsTemplate jms) {
        this(providerId -> jms, ProviderInbox::open);
    }

    private ProviderInbox(Function<String, JmsTemplate> templates, BiFunction<String, byte[], OpenedEnvelope> opener) {
        this.templates = templates;
        this.opener = opener;
    }

    /** Each provider connects to the broker's acceptor on {@code brokerPort} with its own sample certificate. */
    public static ProviderInbox overTls(int brokerPort) {
        return new ProviderInbox(providerId -> new JmsTemplate(BrokerClients.as(brokerPort, "providers", providerId)), ProviderInbox::open);
    }

    /** The same with the providers' keys and certificates of a deployment made by the production recipe. */
    public static ProviderInbox overTls(int brokerPort, DeploymentPki pki) {
        return new ProviderInbox(providerId -> new JmsTemplate(pki.broker(brokerPort, providerId)), pki::open);
    }

    /** Every copy for this referral now on {@code deliveries.<providerId>}, opened; waits up to the timeout for the first. */
    public List<OpenedDelivery> take(String providerId, String referralId, long firstTimeoutMillis) throws Exception {
        List<OpenedDelivery> copies = new ArrayList<>();
        String selector = "referralBusReferralId = '" + referralId + "'";
        long timeout = firstTimeoutMillis;
        JmsTemplate jms = templates.apply(providerId);
        while (true) {
            jms.setReceiveTimeout(timeout);
            Message message = jms.receiveSelected("deliveries." + providerId, selector);
            if (message == null) {
                return copies;
            }
            BytesMessage bytes = (BytesMessage) message;
            byte[] sealed = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(sealed);
            copies.add(new OpenedDelivery(opener.apply(providerId, sealed), sealed));
            timeout = 300;
        }
    }

    /** Opens a sealed delivery as the provider does, checking the bus signature against the sample CA. */
    public static OpenedEnvelope open(String providerId, byte[] sealed) {
        EnvelopeOpener opener = new EnvelopeOpener(SampleKeys.privateKey("providers", providerId),
                PemFiles.readCertificate(SampleKeys.certificate("providers", providerId)),
                new CertificateTrust(List.of(SampleKeys.ca()), java.time.Clock.systemUTC()));
        return opener.open(sealed);
    }

    public record OpenedDelivery(OpenedEnvelope envelope, byte[] sealed) {
        public String xml() {
            return new String(envelope.content(), StandardCharsets.UTF_8);
        }
    }
}

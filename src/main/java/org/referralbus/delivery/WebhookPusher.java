package org.referralbus.delivery;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.referralbus.core.BusKey;
import org.referralbus.core.ClientTls;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.TrustAnchors;
import org.referralbus.routing.Provider;
import org.referralbus.routing.ProviderRegistry;
import org.springframework.stereotype.Component;

/**
 * Pushes a sealed copy to a provider's HTTPS endpoint, presenting the bus certificate (mutual TLS) and trusting
 * only the configured CA. Any failure throws: the transacted queue consumer rolls back and the broker redelivers
 * with back-off, then dead-letters (see {@code EmbeddedBrokerConfiguration}). The HTTP client is built once.
 */
@Component
public class WebhookPusher {

    private final HttpClient http;
    private final ProviderRegistry registry;
    private final DeliveryProperties properties;

    public WebhookPusher(BusKey busKey, TrustAnchors anchors, ProviderRegistry registry, DeliveryProperties properties) {
        this.registry = registry;
        this.properties = properties;
        this.http = HttpClient.newBuilder()
                .sslContext(sslContext(busKey, anchors))
                .sslParameters(new javax.net.ssl.SSLParameters(null, new String[] {"TLSv1.3", "TLSv1.2"}))
                .connectTimeout(properties.webhook().requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public void push(@Header(Flow.Headers.PROVIDER_ID) String providerId, @Header(Flow.Headers.DELIVERY_ID) String deliveryId,
                     @Header(Flow.Headers.REFERRAL_ID) String referralId, @Body byte[] sealed) throws Exception {
        Provider provider = registry.find(providerId)
                .filter(p -> p.webhook() != null)
                .orElseThrow(() -> new ReferralBusException(ErrorCode.INTERNAL_ERROR, "No webhook for provider " + providerId));
        HttpRequest request = HttpRequest.newBuilder(provider.webhook())
                .timeout(properties.webhook().requestTimeout())
                .header("Content-Type", "application/pkcs7-mime")
                .header("Referral-Bus-Delivery-Id", deliveryId)
                .header("Referral-Bus-Referral-Id", referralId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(sealed))
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR,
                    "Webhook of " + providerId + " answered " + response.statusCode());
        }
    }

    static SSLContext sslContext(BusKey busKey, TrustAnchors trustAnchors) {
        try {
            return ClientTls.of(busKey.certificate(), busKey.privateKey(), trustAnchors.certificates());
        } catch (Exception e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Cannot build the webhook TLS client", e);
        }
    }
}

package org.referralbus.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Optional;
import org.apache.camel.Body;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.BusKey;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.TrustAnchors;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.participants.AgencyRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts a queued status event to the sending agency's callback URL.
 *
 * <p>Implementation note: the body is the event's JSON bytes exactly as queued; {@link #SIGNATURE_HEADER} is base64 of
 * a detached CMS SignedData by the bus key over exactly those bytes, as on receipts, so the agency checks it the same
 * way (openssl cms -verify -binary -content). The connection presents the bus certificate and trusts only the
 * deployment CA, as webhook pushes do. Any failure throws: the transacted consumer rolls back, the broker retries
 * with back-off ({@code referral-bus.delivery.webhook.*}) and then parks the event on {@code callbacks.dead}.
 */
@Component
public class StatusCallbackPusher {

    static final String SIGNATURE_HEADER = "Referral-Bus-Event-Signature";
    private static final Logger log = LoggerFactory.getLogger(StatusCallbackPusher.class);

    private final HttpClient http;
    private final AgencyRegistry agencies;
    private final EnvelopeSealer busSealer;
    private final AuditTrail audit;
    private final DeliveryProperties properties;
    private final JsonMapper json;

    StatusCallbackPusher(BusKey busKey, TrustAnchors anchors, AgencyRegistry agencies, @Qualifier("busSealer") EnvelopeSealer busSealer,
                         AuditTrail audit, DeliveryProperties properties, JsonMapper json) {
        this.agencies = agencies;
        this.busSealer = busSealer;
        this.audit = audit;
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .sslContext(WebhookPusher.sslContext(busKey, anchors))
                .sslParameters(new javax.net.ssl.SSLParameters(null, new String[] {"TLSv1.3", "TLSv1.2"}))
                .connectTimeout(properties.webhook().requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public void push(@Body byte[] event) throws Exception {
        JsonNode fields = json.readTree(event);
        Optional<URI> callback = agencies.callback(fields.path("sender").asString());
        if (callback.isEmpty()) {
            log.info("Status event for referral {} dropped: its agency no longer has a callback", fields.path("referralId").asString());
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(callback.get())
                .timeout(properties.webhook().requestTimeout())
                .header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, Base64.getEncoder().encodeToString(busSealer.signDetached(event)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event))
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR,
                    "Status callback of " + fields.path("sender").asString() + " answered " + response.statusCode());
        }
    }

    /** The broker gave up: the trail says which event the agency missed (its status stays readable over HTTPS). */
    public void deadLettered(@Body byte[] event) {
        JsonNode fields = json.readTree(event);
        audit.record(AuditEvent.of(AuditEventType.DEAD_LETTERED, fields.path("referralId").asString(), audit.busActor())
                .withCounterpart(fields.path("sender").asString())
                .withDetail("callback:" + fields.path("service").asString() + ":" + fields.path("state").asString()));
    }
}

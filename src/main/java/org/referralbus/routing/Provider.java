package org.referralbus.routing;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.referralbus.schema.referral.Region;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.schema.referral.Sex;

/**
 * An assistance provider as the registry declares it, with its certificate already loaded and checked.
 *
 * @param regions  regions served
 * @param national whether it serves the whole country ({@code NATIONAL} in the registry): the fallback when no
 *                 regional provider offers a service
 * @param accepts  who the provider can take (age group, sex, languages); empty sets mean anyone
 * @param capacity how many open cases it can hold at once; null means no limit declared
 * @param webhook  the HTTPS endpoint for {@link DeliveryChannel#WEBHOOK}, else null
 */
public record Provider(String id, String name, List<ServiceCode> services, List<Region> regions, boolean national, Accepts accepts,
                       Integer capacity, X509Certificate certificate, DeliveryChannel channel, URI webhook) {

    /** The registry's word for the whole country, next to the schema's regions. */
    public static final String NATIONAL = "NATIONAL";

    public enum DeliveryChannel {
        /** The durable Artemis queue {@code deliveries.<id>} (AMQP 1.0 or CORE consumers). */
        QUEUE,
        /** Kept for the provider to fetch from {@code GET /api/v1/inbox}. */
        INBOX,
        /** Pushed to the provider's HTTPS endpoint with mutual TLS, retried, then dead-lettered to the coordinator. */
        WEBHOOK
    }

    public enum AgeGroup { MINORS, ADULTS }

    /** @param ageGroup null for any age */
    public record Accepts(AgeGroup ageGroup, Set<Sex> sexes, Set<String> languages) {
        public static final Accepts ANYONE = new Accepts(null, Set.of(), Set.of());
    }

    public boolean offers(ServiceCode service) {
        return services.contains(service);
    }

    public boolean serves(Region region) {
        return regions.contains(region);
    }

    public boolean isNational() {
        return national;
    }
}

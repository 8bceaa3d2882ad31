package org.referralbus.routing;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An assistance provider as the registry declares it, with its certificate already loaded and checked.
 *
 * @param regions regions served; {@link #NATIONAL} means the whole country (the fallback when no regional provider offers a service)
 */
public record Provider(String id, String name, List<String> services, List<String> regions,
                       X509Certificate certificate, DeliveryChannel channel) {

    public static final String NATIONAL = "NATIONAL";
    public static final String COORDINATOR = "coordinator";

    public boolean offers(String service) {
        return services.contains(service);
    }

    public boolean serves(String region) {
        return regions.contains(region);
    }

    public boolean isNational() {
        return regions.contains(NATIONAL);
    }

    public enum DeliveryChannel { QUEUE }
}

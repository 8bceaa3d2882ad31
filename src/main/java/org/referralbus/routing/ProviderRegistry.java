package org.referralbus.routing;

import java.util.List;
import java.util.Optional;
import org.referralbus.participants.CertificateTrust;
import org.springframework.stereotype.Component;

/** The providers the bus may deliver to, loaded and checked once at start-up. */
@Component
public class ProviderRegistry {

    private final List<Provider> providers;

    @org.springframework.beans.factory.annotation.Autowired
    public ProviderRegistry(RegistryProperties properties, CertificateTrust trust) {
        this(new ProviderRegistryLoader(trust).load(properties.providers()));
    }

    ProviderRegistry(List<Provider> providers) {
        this.providers = List.copyOf(providers);
    }

    public List<Provider> all() {
        return providers;
    }

    public Optional<Provider> find(String id) {
        return providers.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public Provider coordinator() {
        return find(Provider.COORDINATOR).orElseThrow();
    }
}

package org.referralbus.broker;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.referralbus.broker.BrokerLayout.Grant;
import org.referralbus.broker.BrokerLayout.Permission;

/** Applies a {@link BrokerLayout} to the embedded broker's configuration, with security on and its caches off. */
public final class EmbeddedBrokerLayout {

    private EmbeddedBrokerLayout() {
    }

    /**
     * @param memoryPerQueueBytes what one address keeps in memory before the rest is paged to disk
     *                            ({@code referral-bus.broker.memory-per-queue})
     */
    public static void apply(BrokerLayout layout, long memoryPerQueueBytes, Configuration configuration) {
        for (String queue : layout.queues()) {
            configuration.addAddressConfiguration(new CoreAddressConfiguration().setName(queue).addRoutingType(RoutingType.ANYCAST)
                    .addQueueConfiguration(QueueConfiguration.of(queue).setAddress(queue).setRoutingType(RoutingType.ANYCAST).setDurable(true)));
        }
        layout.redelivery().forEach((match, redelivery) -> configuration.addAddressSetting(match, new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(redelivery.deadLetterAddress()))
                .setAutoCreateDeadLetterResources(false)
                .setMaxDeliveryAttempts(redelivery.maxAttempts())
                .setRedeliveryDelay(redelivery.initialDelay().toMillis())
                .setRedeliveryMultiplier(redelivery.multiplier())
                .setMaxRedeliveryDelay(redelivery.maxDelay().toMillis())));
        // Every address pages beyond its share; Artemis merges this into the more specific settings above. Boot's own
        // catch-all (its DLQ and expiry addresses) is kept, only the memory bound added. Reading paged messages back, and
        // the page being written, are bounded alike: Artemis's defaults read up to 20 MB per queue ahead of its consumers
        // (max-read-page-bytes) and keep a 10 MB page in memory while it is written, in the bus's heap.
        AddressSettings everyAddress = configuration.getAddressSettings().getOrDefault(BrokerLayout.EVERY_ADDRESS, new AddressSettings());
        configuration.addAddressSetting(BrokerLayout.EVERY_ADDRESS, everyAddress.setMaxSizeBytes(memoryPerQueueBytes)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setMaxReadPageBytes(BrokerLayout.readAhead(memoryPerQueueBytes))
                .setPageSizeBytes(BrokerLayout.pageSize(memoryPerQueueBytes)));
        configuration.setIDCacheSize(BrokerLayout.DUPLICATE_ID_CACHE_SIZE);
        configuration.setPersistIDCache(true);
        configuration.setSecurityEnabled(true);
        // Management requests are checked per operation and resource, not only for the right to send them.
        configuration.setManagementAddress(SimpleString.of(BrokerLayout.MANAGEMENT_ADDRESS));
        configuration.setManagementMessageRbac(true);
        configuration.setManagementRbacPrefix(BrokerLayout.MANAGEMENT_RBAC_PREFIX);
        for (Map.Entry<String, List<Grant>> entry : layout.security().entrySet()) {
            Set<Role> roles = new HashSet<>();
            entry.getValue().forEach(grant -> roles.add(role(grant)));
            configuration.putSecurityRoles(entry.getKey(), roles);
        }
        // A revoked certificate or a registry change must apply to the next connection, not after a cache expires.
        configuration.setAuthenticationCacheSize(0);
        configuration.setAuthorizationCacheSize(0);
        // The broker stamps every message with the user it authenticated; the queue intake takes the sender from there.
        configuration.setPopulateValidatedUser(true);
        // The acceptor's TLS files are looked at this often (sslAutoReload, BrokerLayout.tlsAcceptorParameters).
        configuration.setConfigurationFileRefreshPeriod(BrokerLayout.TLS_FILES_LOOKED_AT_EVERY_MS);
    }

    private static Role role(Grant grant) {
        Set<Permission> p = grant.permissions();
        return new Role(grant.role(), p.contains(Permission.SEND), p.contains(Permission.CONSUME),
                p.contains(Permission.CREATE_DURABLE_QUEUE), false,
                p.contains(Permission.CREATE_NON_DURABLE_QUEUE), p.contains(Permission.DELETE_NON_DURABLE_QUEUE),
                p.contains(Permission.MANAGE), p.contains(Permission.BROWSE), p.contains(Permission.CREATE_ADDRESS), false,
                false, p.contains(Permission.EDIT));
    }
}

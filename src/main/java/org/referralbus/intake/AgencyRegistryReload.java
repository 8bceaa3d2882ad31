package org.referralbus.intake;

import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.participants.AgencyRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Re-reads the agency registry ({@code referral-bus.participants.agencies}) every
 * {@code referral-bus.registry.reload-interval}, as the provider registry is: the load at start-up, each change in
 * force and each change refused are CONFIGURATION_CHANGED rows naming the file's sha-256 ({@code agencies-loaded:},
 * {@code agencies-reloaded:}, {@code agencies-refused:}). A refused change is logged with its reason (a path or an
 * id, never a key) and the previous list stays in force.
 */
@Component
class AgencyRegistryReload {

    private static final Logger log = LoggerFactory.getLogger(AgencyRegistryReload.class);

    private final AgencyRegistry agencies;
    private final AuditTrail audit;

    AgencyRegistryReload(AgencyRegistry agencies, AuditTrail audit) {
        this.agencies = agencies;
        this.audit = audit;
        record("agencies-loaded:" + agencies.fileSha256());
    }

    @Scheduled(fixedDelayString = "${referral-bus.registry.reload-interval:10s}", initialDelayString = "${referral-bus.registry.reload-interval:10s}")
    AgencyRegistry.Outcome reloadIfChanged() {
        AgencyRegistry.Reload reload = agencies.reloadIfChanged();
        switch (reload.outcome()) {
            case RELOADED -> {
                record("agencies-reloaded:" + reload.fileSha256());
                log.info("Agency registry reloaded (sha256 {})", reload.fileSha256());
            }
            case REFUSED -> {
                record("agencies-refused:" + reload.fileSha256());
                log.error("Agency registry change refused, previous registry stays in force: {}", reload.problem());
            }
            case UNCHANGED -> {
                // nothing to do
            }
        }
        return reload.outcome();
    }

    private void record(String detail) {
        audit.record(AuditEvent.of(AuditEventType.CONFIGURATION_CHANGED, null, audit.busActor()).withDetail(detail));
    }
}

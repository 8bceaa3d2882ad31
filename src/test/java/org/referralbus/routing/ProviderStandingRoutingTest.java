package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.referralbus.audit.AuditTrail;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.schema.referral.Region;
import org.referralbus.schema.referral.Sex;
import org.referralbus.support.SampleKeys;
import org.referralbus.validation.Referral;

/**
 * A provider whose certificate is revoked (perhaps its key was stolen) gets no new referral: that holds for the rule
 * that comes before all others too, a minor's child protection, the most sensitive referrals the bus carries.
 */
class ProviderStandingRoutingTest {

    @Test
    void aMinorsChildProtectionNeedIsNotSealedForARevokedChildProtectionProvider() {
        X509Certificate childProtection = SampleKeys.certificateOf("providers", "child-protection-national");
        Instant revokedAt = Instant.now().minusSeconds(3600);
        CertificateTrust trust = new CertificateTrust(List.of(SampleKeys.ca()), Clock.systemUTC(),
                certificate -> certificate.equals(childProtection) ? Optional.of(revokedAt) : Optional.empty());
        AuditTrail audit = mock(AuditTrail.class);
        when(audit.busActor()).thenReturn("referral-bus");
        ProviderRegistry registry = new ProviderRegistry(RoutingRulesTest.REGISTRY, trust, audit);
        assertThat(registry.mayRoute(registry.childProtection().orElseThrow())).as("out of standing").isFalse();
        Referral minor = RoutingRulesTest.referral(Region.DUSHANBE, true, Set.of(org.referralbus.schema.referral.ServiceCode.SHELTER),
                15, Sex.FEMALE, Set.of("tg"), org.referralbus.schema.referral.ServiceCode.SHELTER);

        RoutingDecision decision = new RoutingRules(registry).decide(minor, RoutingContext.FIRST);

        assertThat(decision.assignments()).extracting(a -> a.provider().id()).doesNotContain("child-protection-national");
        assertThat(decision.assignments()).as("the need still reaches someone")
                .anySatisfy(a -> assertThat(a.owned()).contains(org.referralbus.schema.referral.ServiceCode.CHILD_PROTECTION));
    }
}

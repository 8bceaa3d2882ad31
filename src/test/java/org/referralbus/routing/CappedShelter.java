package org.referralbus.routing;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.referralbus.schema.referral.Category;
import org.referralbus.schema.referral.Priority;
import org.referralbus.schema.referral.Region;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.schema.referral.Sex;
import org.referralbus.schema.referral.Urgency;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.referralbus.validation.Referral;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The capacity tests' world: {@code shelter-dushanbe} holds one open case ({@code capacity: 1}); the next provider for
 * a Dushanbe shelter need is {@code reintegration-national} (national, no capacity). Every channel is INBOX, so no
 * broker consumer is needed.
 */
final class CappedShelter {

    static final String CAPPED = "shelter-dushanbe";
    static final String NEXT = "reintegration-national";

    private CappedShelter() {
    }

    /** Writes the registry into {@code dir} and returns the bus argument that loads it. */
    static String registryArgument(Path dir) throws IOException {
        String certs = SampleKeys.ROOT.toAbsolutePath().resolve("providers").toString();
        Path registry = dir.resolve("providers-capped.yaml");
        Files.writeString(registry, """
                providers:
                  - {id: shelter-dushanbe, services: [SHELTER], regions: [DUSHANBE], capacity: 1,
                     certificate: %1$s/shelter-dushanbe.crt, channel: INBOX}
                  - {id: reintegration-national, services: [SHELTER, RETURN, REINTEGRATION], regions: [NATIONAL],
                     certificate: %1$s/reintegration-national.crt, channel: INBOX}
                  - {id: medical-dushanbe, services: [MEDICAL], regions: [DUSHANBE], certificate: %1$s/medical-dushanbe.crt,
                     channel: INBOX}
                  - {id: psychosocial-khatlon, services: [PSYCHOSOCIAL], regions: [DUSHANBE], certificate: %1$s/psychosocial-khatlon.crt,
                     channel: INBOX}
                  - {id: child-protection-national, services: [CHILD_PROTECTION], regions: [NATIONAL],
                     certificate: %1$s/child-protection-national.crt, channel: INBOX}
                  - {id: coordinator, services: [], regions: [NATIONAL], certificate: %1$s/coordinator.crt, channel: INBOX}
                """.formatted(certs));
        return "--referral-bus.registry.providers=" + registry;
    }

    /** An adult woman in Dushanbe who needs a shelter, with a referral id of her own. */
    static Referral shelterNeed() {
        return new Referral(UUID.randomUUID().toString(), "border-service", OffsetDateTime.now(), Category.IDENTIFIED_VICTIM,
                Urgency.URGENT, true, Set.of(ServiceCode.SHELTER), Region.DUSHANBE, 30, Sex.FEMALE, Set.of("tg"),
                List.of(new Referral.Need(ServiceCode.SHELTER, Priority.HIGH)), null);
    }

    /** Who got the shelter need (the provider owning it in the decision). */
    static String shelterProvider(RoutingDecision decision) {
        return decision.assignments().stream().filter(a -> a.owned().contains(ServiceCode.SHELTER))
                .map(a -> a.provider().id()).findFirst().orElseThrow();
    }

    /** Frees the capped shelter's place for the next test: its open copies closed, claimed places dropped. */
    static void freeThePlace(JdbcTemplate jdbc) {
        jdbc.update("UPDATE delivery SET state = 'CLOSED' WHERE provider_id = ? AND state IN ('SEALED', 'DELIVERED', 'FETCHED', 'ACCEPTED')",
                CAPPED);
        jdbc.update("DELETE FROM provider_place");
    }

    /** Submits the example referral (shelter, medical and psychosocial needs in Dushanbe) and returns its id. */
    static String submit(StandaloneBus bus) throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        HttpResponse<byte[]> answer = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "border-service"),
                SampleKeys.key("agencies", "border-service")).post("/api/v1/referrals", envelope, "application/pkcs7-mime");
        if (answer.statusCode() != 202) {
            throw new AssertionError("Expected 202, got " + answer.statusCode() + ": " + new String(answer.body(), StandardCharsets.UTF_8));
        }
        return ReferralExamples.referralId(xml);
    }

    /** The providers that hold the shelter need of these referrals, one entry per referral. */
    static List<String> shelterDeliveries(JdbcTemplate jdbc, List<String> referralIds) {
        return referralIds.stream().map(id -> jdbc.queryForObject(
                "SELECT provider_id FROM delivery WHERE referral_id = ? AND services LIKE '%SHELTER%' AND provider_id <> 'coordinator'",
                String.class, id)).toList();
    }
}

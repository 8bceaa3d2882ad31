package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.referralbus.routing.CappedShelter.CAPPED;
import static org.referralbus.routing.CappedShelter.NEXT;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.support.StandaloneBus;
import org.referralbus.validation.Referral;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A declared capacity holds when referrals are routed at the same instant (H2, one bus, several threads): counting
 * and claiming a place happen under the provider's lock in one transaction, so the last place goes to one referral
 * and the others go to the next provider. Routing alone, without the delivery step, is enough to show it: before the
 * places were claimed, every routing counted the same free place until a copy was stored.
 */
class ProviderCapacityEndToEndTest {

    @TempDir
    static Path dir;

    private static StandaloneBus bus;

    @BeforeAll
    static void start() throws Exception {
        bus = StandaloneBus.start(dir.resolve("data"), CappedShelter.registryArgument(dir),
                "--referral-bus.intake.rate-limit.enabled=false");
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    @BeforeEach
    void freeThePlace() {
        CappedShelter.freeThePlace(jdbc());
    }

    @Test
    void twoRoutingsAtTheSameInstantTakeTheLastPlaceOnce() throws Exception {
        ReferralRouting routing = bus.bean(ReferralRouting.class);

        List<String> chosen = atOnce(List.of(
                () -> CappedShelter.shelterProvider(routing.route(CappedShelter.shelterNeed(), null)),
                () -> CappedShelter.shelterProvider(routing.route(CappedShelter.shelterNeed(), null))));

        assertThat(chosen).containsExactlyInAnyOrder(CAPPED, NEXT);
    }

    @Test
    void aRetryOfTheSameReferralKeepsItsPlaceAndAnotherReferralDoesNotGetIt() {
        ReferralRouting routing = bus.bean(ReferralRouting.class);
        Referral first = CappedShelter.shelterNeed();

        assertThat(CappedShelter.shelterProvider(routing.route(first, null))).isEqualTo(CAPPED);
        assertThat(CappedShelter.shelterProvider(routing.route(first, null))).as("retry").isEqualTo(CAPPED);
        assertThat(CappedShelter.shelterProvider(routing.route(CappedShelter.shelterNeed(), null))).isEqualTo(NEXT);
    }

    @Test
    void reroutingRespectsAPlaceClaimedByAnotherReferral() {
        ReferralRouting routing = bus.bean(ReferralRouting.class);
        assertThat(CappedShelter.shelterProvider(routing.route(CappedShelter.shelterNeed(), null))).isEqualTo(CAPPED);

        RoutingDecision rerouted = routing.reroute(CappedShelter.shelterNeed(), Map.of(), Set.of(ServiceCode.SHELTER));

        assertThat(CappedShelter.shelterProvider(rerouted)).isEqualTo(NEXT);
    }

    @Test
    void referralsSubmittedAtTheSameInstantFillTheCapacityExactlyAndReleaseTheirPlacesWhenTheCopiesAreStored()
            throws Exception {
        List<Callable<String>> submissions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            submissions.add(() -> CappedShelter.submit(bus));
        }

        List<String> referralIds = atOnce(submissions);

        assertThat(CappedShelter.shelterDeliveries(jdbc(), referralIds)).containsExactlyInAnyOrder(CAPPED, NEXT, NEXT, NEXT);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM provider_place", Integer.class))
                .as("each place was replaced by its copy").isZero();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE provider_id = ? AND state = 'DELIVERED'",
                Integer.class, CAPPED)).isEqualTo(1);
    }

    static <T> List<T> atOnce(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JdbcTemplate jdbc() {
        return bus.bean(JdbcTemplate.class);
    }
}

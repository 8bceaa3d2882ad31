package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.referralbus.routing.CappedShelter.CAPPED;
import static org.referralbus.routing.CappedShelter.NEXT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralbus.support.ScratchPostgresDatabase;
import org.referralbus.support.StandaloneBus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two bus instances on one PostgreSQL database, as two nodes of the cluster: a provider's last place goes to one
 * referral however the nodes race for it, and the other goes to the next provider. Uses a fresh scratch database
 * (dropped afterwards); skipped only when PostgreSQL is unreachable at 127.0.0.1:5432.
 */
class ProviderCapacityAcrossNodesPostgresTest {

    private static ScratchPostgresDatabase database;
    private static StandaloneBus first;
    private static StandaloneBus second;

    @BeforeAll
    static void startTwoNodesOnOneDatabase() throws Exception {
        Assumptions.assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres): "
                + "start it (pg_ctlcluster --skip-systemctl-redirect <version> main start, as .ci/run does) to run this test");
        database = ScratchPostgresDatabase.create();
        Path dir = Files.createTempDirectory("referral-bus-capacity-pg-");
        String registry = CappedShelter.registryArgument(dir);
        first = start(dir.resolve("first"), registry); // migrates the empty database
        second = start(dir.resolve("second"), registry);
    }

    private static StandaloneBus start(Path dataDir, String registry) {
        String[] db = database.busArguments();
        return StandaloneBus.start(dataDir, db[0], db[1], db[2], registry, "--referral-bus.intake.rate-limit.enabled=false");
    }

    @AfterAll
    static void stopAndDropTheDatabase() throws Exception {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void freeThePlace() {
        CappedShelter.freeThePlace(first.bean(JdbcTemplate.class));
    }

    @Test
    void bothNodesRoutingAtTheSameInstantTakeTheLastPlaceOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            ReferralRouting onFirst = first.bean(ReferralRouting.class);
            ReferralRouting onSecond = second.bean(ReferralRouting.class);

            List<String> chosen = ProviderCapacityEndToEndTest.atOnce(List.<Callable<String>>of(
                    () -> CappedShelter.shelterProvider(onFirst.route(CappedShelter.shelterNeed(), null)),
                    () -> CappedShelter.shelterProvider(onSecond.route(CappedShelter.shelterNeed(), null))));

            assertThat(chosen).as("round " + round).containsExactlyInAnyOrder(CAPPED, NEXT);
            freeThePlace();
        }
    }

    @Test
    void referralsSubmittedToBothNodesAtOnceFillTheCapacityExactly() throws Exception {
        List<String> referralIds = ProviderCapacityEndToEndTest.atOnce(List.<Callable<String>>of(
                () -> CappedShelter.submit(first), () -> CappedShelter.submit(second),
                () -> CappedShelter.submit(first), () -> CappedShelter.submit(second)));

        JdbcTemplate jdbc = first.bean(JdbcTemplate.class);
        assertThat(CappedShelter.shelterDeliveries(jdbc, referralIds)).containsExactlyInAnyOrder(CAPPED, NEXT, NEXT, NEXT);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM provider_place", Integer.class)).isZero();
    }
}

package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

class RefusalTallyTest {

    @TempDir
    Path dataDir;

    private TrailDatabase db;

    @BeforeEach
    void openTrail() {
        db = new TrailDatabase(dataDir);
    }

    @AfterEach
    void closeTrail() {
        db.close();
    }

    @Test
    void aFloodOfRefusalsIsOneRowPerActorAndReasonWithTheCount() {
        RefusalTally tally = new RefusalTally(db.trail, Clock.systemUTC());

        assertThat(tally.count(rateLimited("ngo-hotline"))).as("the first of the window").isTrue();
        for (int i = 0; i < 3_999; i++) {
            assertThat(tally.count(rateLimited("ngo-hotline"))).isFalse();
        }
        tally.count(rateLimited("iom-mission"));

        assertThat(tally.flush()).isEqualTo(2);
        assertThat(db.jdbc.queryForList("SELECT actor || ' ' || detail FROM audit_event ORDER BY actor", String.class))
                .containsExactly("iom-mission rate_limited;count=1", "ngo-hotline rate_limited;count=4000");
        assertThat(tally.flush()).as("the next window starts empty").isZero();
        assertThat(tally.count(rateLimited("ngo-hotline"))).as("and logs its first refusal again").isTrue();
    }

    @Test
    void noRefusalIsLostWhileTheWindowIsFlushed() throws Exception {
        RefusalTally tally = new RefusalTally(db.trail, Clock.systemUTC());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        AtomicBoolean counting = new AtomicBoolean(true);
        try {
            List<Future<?>> counters = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                counters.add(threads.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        tally.count(rateLimited("ngo-hotline"));
                    }
                }));
            }
            Future<?> flusher = threads.submit(() -> {
                while (counting.get()) {
                    tally.flush();
                }
            });
            for (Future<?> counter : counters) {
                counter.get();
            }
            counting.set(false);
            flusher.get();
        } finally {
            threads.shutdownNow();
        }
        tally.flush();

        long total = db.jdbc.queryForList("SELECT detail FROM audit_event", String.class).stream()
                .mapToLong(detail -> Long.parseLong(detail.substring(detail.indexOf("count=") + 6))).sum();
        assertThat(total).isEqualTo(20_000);
    }

    @Test
    void theLastWindowReachesTheTrailWhenTheBusShutsDown() {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(AuditTrail.class, () -> db.trail);
        context.registerBean(Clock.class, Clock::systemUTC);
        context.registerBean(RefusalTally.class);
        context.refresh();
        context.getBean(RefusalTally.class).count(rateLimited("border-service"));
        context.getBean(RefusalTally.class).count(rateLimited("border-service"));

        context.close();

        assertThat(db.jdbc.queryForList("SELECT detail FROM audit_event WHERE actor = 'border-service'", String.class))
                .containsExactly("rate_limited;count=2");
    }

    @Test
    void aRowThatCannotBeWrittenIsKeptForTheNextFlush() {
        AtomicBoolean databaseDown = new AtomicBoolean(true);
        AuditTrail flaky = new AuditTrail(db.jdbc, new DataSourceTransactionManager(db.dataSource), Clock.systemUTC()) {
            @Override
            public long record(AuditEvent event) {
                if (databaseDown.get()) {
                    throw new IllegalStateException("database down");
                }
                return super.record(event);
            }
        };
        RefusalTally tally = new RefusalTally(flaky, Clock.systemUTC());
        tally.count(rateLimited("ngo-hotline"));
        assertThat(tally.flush()).isZero();
        tally.count(rateLimited("ngo-hotline"));

        databaseDown.set(false);

        assertThat(tally.flush()).isEqualTo(1);
        assertThat(db.jdbc.queryForList("SELECT detail FROM audit_event", String.class)).containsExactly("rate_limited;count=2");
    }

    private static AuditEvent rateLimited(String participant) {
        return AuditEvent.of(AuditEventType.REJECTED, null, participant).withDetail("rate_limited");
    }
}

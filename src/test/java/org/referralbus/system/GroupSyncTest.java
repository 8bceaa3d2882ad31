package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class GroupSyncTest {

    @Test
    void callersArrivingDuringASyncShareTheNextOneAndNoneReturnsOnTheSyncThatWasRunning() throws Exception {
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        AtomicInteger syncs = new AtomicInteger();
        List<Integer> syncSeenEnded = java.util.Collections.synchronizedList(new ArrayList<>());
        GroupSync group = new GroupSync(() -> {
            if (syncs.incrementAndGet() == 1) {
                awaitQuietly(firstMayEnd);
            }
        });
        sevenFollowersWaitBehindTheFirst(group, () -> group.await(), () -> syncs.get() == 1, i -> () -> {
            group.await();
            syncSeenEnded.add(syncs.get());
        }, firstMayEnd);
        assertThat(syncs).hasValue(2);
        assertThat(syncSeenEnded).hasSize(7).containsOnly(2);
    }

    /** H2's shared writes: each caller brings a write through its own connection, and only the leader's runs. */
    @Test
    void callersBringingTheirOwnSyncShareTheLeadersAndOnlyTheLeadersRuns() throws Exception {
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        GroupSync group = new GroupSync();
        sevenFollowersWaitBehindTheFirst(group, () -> group.await(() -> {
            ran.add("first");
            awaitQuietly(firstMayEnd);
        }), () -> ran.size() == 1, i -> () -> group.await(() -> ran.add("caller " + i)), firstMayEnd);
        assertThat(ran).hasSize(2).first().isEqualTo("first");
        assertThat(ran.get(1)).startsWith("caller ");
    }

    @Test
    void aGroupWithoutASyncOfItsOwnRefusesACallerWhoBringsNone() {
        assertThatThrownBy(() -> new GroupSync().await()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCallerAloneRunsItsOwnSyncEachTime() {
        AtomicInteger syncs = new AtomicInteger();
        GroupSync group = new GroupSync(syncs::incrementAndGet);

        group.await();
        group.await();

        assertThat(syncs).hasValue(2);
    }

    @Test
    void aFailedSyncFailsItsCallerAndTheNextCallerSyncsAgain() {
        AtomicInteger syncs = new AtomicInteger();
        GroupSync group = new GroupSync(() -> {
            if (syncs.incrementAndGet() == 1) {
                throw new IllegalStateException("disk gone");
            }
        });

        assertThatThrownBy(() -> group.await()).hasMessage("disk gone");
        group.await();

        assertThat(syncs).hasValue(2);
    }

    /**
     * Starts {@code first} and waits until its sync runs; then seven followers, which must all wait for it; then lets
     * it end and waits for everyone.
     */
    private static void sevenFollowersWaitBehindTheFirst(GroupSync group, Runnable first, BooleanSupplier firstRunning,
                                                         IntFunction<Runnable> follower, CountDownLatch firstMayEnd)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<?> leader = pool.submit(first);
            await().atMost(Duration.ofSeconds(30)).until(firstRunning::getAsBoolean);
            List<Future<?>> followers = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                followers.add(pool.submit(follower.apply(i)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> group.waiting() == 7);
            assertThat(followers).noneMatch(Future::isDone);

            firstMayEnd.countDown();
            leader.get(30, TimeUnit.SECONDS);
            for (Future<?> each : followers) {
                each.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

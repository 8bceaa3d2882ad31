package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.referralbus.support.AdvisedRoutes;

/**
 * The referral flow ends on the thread that took the referral, although a new referral's copies leave side by side
 * on other threads. What the flow marks on its thread (its commits deferred, {@link CommitDeferral}) is ended there:
 * left behind, the next request that thread serves (an acknowledgement, say) would answer before its commit is on
 * the disk.
 */
class FlowThreadRouteTest extends AdvisedRoutes {

    @Test
    void theFlowEndsOnTheThreadThatTookTheReferralAndLeavesNoDeferralBehind() {
        Exchange done = submit(seal("iom-mission", freshExample("iom-mission-minor-khatlon")), "iom-mission");

        assertThat(done.getException()).isNull();
        assertThat(copiesFor("child-protection-national")).as("the copies left").hasSize(1);
        assertThat(CommitDeferral.active()).as("this thread's commits are written before they return again").isFalse();
    }
}

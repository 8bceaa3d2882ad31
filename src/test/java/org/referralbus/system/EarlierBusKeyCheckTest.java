package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.TestPki;
import org.springframework.beans.factory.annotation.Autowired;

/** Referrals kept from before the bus certificate was issued need the earlier key: counted unless it is configured. */
class EarlierBusKeyCheckTest extends RunningBus {

    @Autowired
    ReferralLedger referrals;

    @Test
    void referralsKeptFromBeforeTheCurrentCertificateAreCountedUnlessThePreviousKeyIsConfigured() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        assertThat(agency("border-service").post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode()).isEqualTo(202);
        Instant now = Instant.now();
        // a bus certificate issued after that referral arrived: as after a rotation
        var rotated = TestPki.sample().issue("referral-bus", ParticipantRole.BUS, TestPki.KeyType.EC_P256,
                now.plusSeconds(5), now.plus(Duration.ofDays(30))).certificate();
        BusIdentityProperties.KeySource previous = new BusIdentityProperties.KeySource(Path.of("bus-2025.crt"), Path.of("bus-2025.key"),
                null, null, null);

        assertThat(new EarlierBusKeyCheck(rotated, identity(null), referrals).sealedForAnEarlierKey()).isPositive();
        assertThat(new EarlierBusKeyCheck(rotated, identity(previous), referrals).sealedForAnEarlierKey()).isZero();
        assertThat(new EarlierBusKeyCheck(SampleKeys.busCertificate(), identity(null), referrals).sealedForAnEarlierKey())
                .as("none arrived before the sample certificate").isZero();
    }

    private static BusIdentityProperties identity(BusIdentityProperties.KeySource previous) {
        return new BusIdentityProperties(null, null, Path.of("ca.crt"), null, null, null, List.of(), Duration.ofMinutes(1), previous, List.of());
    }
}

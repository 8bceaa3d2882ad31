package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;

/**
 * What {@code listen} writes to {@code ID.json} for a copy's referral and services: the delivery itself, which the bus
 * signed, else the message's labels, which it did not; a message without the labels once wrote the string "null".
 */
class ListenedCopySummaryTest {

    private static final Map<String, Object> DELIVERY = Map.of("referralId", "ref-from-xml", "services", List.of("MEDICAL", "SHELTER"),
            "urgency", "HIGH", "deliveredAt", "2026-12-05T21:00:00.123Z");

    @Test
    void theSignedDeliveryWinsOverLabelsThatSayOtherwise() {
        Map<String, Object> members = ListenCommand.deliveryOrLabels(Map.of(Flow.Headers.REFERRAL_ID, "ref-7",
                Flow.Headers.SERVICES, "MEDICAL,LEGAL"), DELIVERY);

        assertThat(members).containsEntry("referralId", "ref-from-xml").containsEntry("services", List.of("MEDICAL", "SHELTER"))
                .containsEntry("urgency", "HIGH").containsEntry("deliveredAt", "2026-12-05T21:00:00.123Z");
    }

    @Test
    void aDeliveryThatCannotBeReadTakesTheLabels() {
        Map<String, Object> unreadable = FetchCommand.header("<not-a-delivery/>".getBytes(StandardCharsets.UTF_8));

        Map<String, Object> members = ListenCommand.deliveryOrLabels(Map.of(Flow.Headers.REFERRAL_ID, "ref-7",
                Flow.Headers.SERVICES, "MEDICAL,LEGAL"), unreadable);

        assertThat(members).containsEntry("referralId", "ref-7").containsEntry("services", List.of("MEDICAL", "LEGAL"));
        assertThat(json(members)).doesNotContain("null");
    }

    @Test
    void aMemberNeitherHasIsLeftOutRatherThanWrittenAsNull() {
        Map<String, Object> unreadable = FetchCommand.header("<not-a-delivery/>".getBytes(StandardCharsets.UTF_8));

        Map<String, Object> members = ListenCommand.deliveryOrLabels(Map.of(), unreadable);

        assertThat(members).isEmpty();
        assertThat(ListenCommand.deliveryOrLabels(Map.of(), Map.of("services", List.of()))).doesNotContainKey("services");
    }

    private static String json(Map<String, Object> members) {
        return BusClient.JSON.writeValueAsString(members);
    }
}

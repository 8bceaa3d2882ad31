package org.referralbus.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nothing lost: after the load, every referral sent is asked for by its agency over mutual TLS, as an agency would;
 * it counts as delivered when the bus knows it and every need has been handed to a provider. Also counts the
 * providers that hold a copy, for the ceiling's copies per referral.
 */
final class DeliveryCheck {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpsLoad https;

    DeliveryCheck(HttpsLoad https) {
        this.https = https;
    }

    BenchRun.Stored check(List<BenchReferrals.Sealed> sent, IntConsumer progress) throws Exception {
        long delivered = 0;
        long copies = 0;
        for (int i = 0; i < sent.size(); i++) {
            String status = https.status(sent.get(i));
            if (status != null) {
                JsonNode body = JSON.readTree(status);
                String state = body.path("state").asString("");
                if (!state.equals("RECEIVED") && !state.equals("ROUTED") && !state.isEmpty()) {
                    delivered++;
                }
                Set<String> providers = new HashSet<>();
                body.path("needs").forEach(need -> providers.add(need.path("provider").asString("")));
                copies += providers.size();
            }
            progress.accept(i + 1);
        }
        return new BenchRun.Stored(sent.size(), delivered, copies);
    }
}

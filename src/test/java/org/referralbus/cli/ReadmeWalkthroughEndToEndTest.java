package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;

/**
 * The README walkthrough with the commands of the jar, on a running bus: every example in schemas/examples submitted
 * by its agency; each provider fetches and opens its copies; one referral declined and seen re-routed; status read
 * as the sender; the story read as the auditor; the export verified offline.
 */
class ReadmeWalkthroughEndToEndTest extends RunningBus {

    private static final List<String> AGENCIES = List.of("border-service", "interior-ministry", "iom-mission", "ngo-hotline");
    private static final List<String> PROVIDERS = List.of("shelter-dushanbe", "medical-dushanbe", "legal-aid-khujand",
            "psychosocial-khatlon", "reintegration-national", "child-protection-national", "coordinator");

    @TempDir
    Path work;

    @Test
    void theWalkthroughRunsWithTheCommandsAlone() throws Exception {
        Map<String, String> senderOf = new LinkedHashMap<>();
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("schemas/examples"))) {
            examples = files.filter(f -> f.toString().endsWith(".xml")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(8);
        for (Path example : examples) {
            String agency = AGENCIES.stream().filter(a -> example.getFileName().toString().startsWith(a + "-")).findFirst().orElseThrow();
            String xml = ReferralExamples.withFreshId(Files.readString(example));
            Path file = Files.writeString(work.resolve(example.getFileName()), xml);
            CommandRun submitted = run("submit", file.toString(), "--as", agency);
            assertThat(submitted.exit()).as(example + ": " + submitted.output()).isZero();
            assertThat(submitted.output()).contains("receipt verified and saved");
            senderOf.put(ReferralExamples.referralId(xml), agency);
        }

        Map<String, List<String>> copies = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            copies.clear();
            for (String provider : PROVIDERS) {
                copies.put(provider, ours(provider, senderOf));
            }
            return copies.values().stream().mapToInt(List::size).sum() >= senderOf.size();
        });
        Path opened = work.resolve("opened");
        int fetched = 0;
        for (Map.Entry<String, List<String>> provider : copies.entrySet()) {
            for (String deliveryId : provider.getValue()) {
                CommandRun fetch = run("fetch", deliveryId, "--out", opened.resolve(provider.getKey()).toString(), "--as", provider.getKey());
                assertThat(fetch.exit()).as(fetch.output()).isZero();
                assertThat(fetch.output()).contains("signed by the bus");
                assertThat(Files.readString(opened.resolve(provider.getKey()).resolve(deliveryId + ".xml"))).contains("<referral");
                fetched++;
            }
        }
        assertThat(fetched).as("every referral reached someone").isGreaterThanOrEqualTo(senderOf.size());

        String declinedReferral = senderOf.entrySet().stream().filter(e -> e.getValue().equals("border-service")
                && copies.get("shelter-dushanbe").stream().anyMatch(d -> deliveryOf("shelter-dushanbe", d, e.getKey())))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        String shelterCopy = copies.get("shelter-dushanbe").stream().filter(d -> deliveryOf("shelter-dushanbe", d, declinedReferral))
                .findFirst().orElseThrow();
        assertThat(run("ack", shelterCopy, "--decline", "NO_CAPACITY", "--as", "shelter-dushanbe").output())
                .contains(shelterCopy + ": DECLINED");
        await().atMost(Duration.ofSeconds(30)).until(() -> run("status", declinedReferral, "--as", "border-service").output(),
                out -> Pattern.compile("SHELTER: \\w+ at (?!shelter-dushanbe)").matcher(out).find());

        for (Map.Entry<String, String> referral : senderOf.entrySet()) {
            CommandRun status = run("status", referral.getKey(), "--as", referral.getValue());
            assertThat(status.exit()).as(status.output()).isZero();
            assertThat(status.output()).startsWith("referral " + referral.getKey() + ": ");
        }

        CommandRun story = run("audit", "story", declinedReferral);
        assertThat(story.exit()).as(story.output()).isZero();
        assertThat(story.output()).contains("RECEIVED", "DECLINED shelter-dushanbe", "REROUTED");

        Path export = work.resolve("trail.jsonl");
        CommandRun exported = run("audit", "export", "--out", export.toString());
        assertThat(exported.exit()).as(exported.output()).isZero();
        CommandRun verified = CommandRun.offline("audit", "verify-export", export.toString());
        assertThat(verified.exit()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("signature: by the bus", "intact");
        assertThat(Files.readString(export)).contains(declinedReferral);
    }

    private final Map<String, Map<String, String>> inboxes = new LinkedHashMap<>();

    /** Delivery ids in the provider's inbox that belong to this test's referrals. */
    private List<String> ours(String provider, Map<String, String> senderOf) {
        Matcher m = Pattern.compile("(\\S+)  referral (\\S+)").matcher(run("inbox", "--as", provider).output());
        Map<String, String> referralOf = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            if (senderOf.containsKey(m.group(2))) {
                ids.add(m.group(1));
                referralOf.put(m.group(1), m.group(2));
            }
        }
        inboxes.put(provider, referralOf);
        return ids;
    }

    private boolean deliveryOf(String provider, String deliveryId, String referralId) {
        return referralId.equals(inboxes.getOrDefault(provider, Map.of()).get(deliveryId));
    }

    private CommandRun run(String... args) {
        return CommandRun.at(baseUrl(), args);
    }
}

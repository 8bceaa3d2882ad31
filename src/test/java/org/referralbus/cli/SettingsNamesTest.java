package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.referralbus.system.SettingNames;
import org.referralbus.system.UnknownSettings;

/**
 * The administrative commands, like the bus at its start, refuse a {@code --referral-bus.*} setting the bus does not
 * read (a typo was ignored, and the command ran on the default database). The names they check against come from the
 * configuration metadata: every properties record's prefix and every placeholder the sources read must be in it.
 */
class SettingsNamesTest {

    private static final Pattern PREFIX = Pattern.compile("@ConfigurationProperties\\((?:prefix = )?\"(referral-bus[a-z.-]*)\"");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(referral-bus\\.[a-z0-9.-]+)");

    @Test
    void everyPropertiesRecordAndPlaceholderOfTheSourcesIsAKnownSetting() throws IOException {
        Set<String> prefixes = new TreeSet<>();
        Set<String> placeholders = new TreeSet<>();
        for (Path root : new Path[] {Path.of("src/main/java"), Path.of("src/main/resources")}) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(java|ya?ml)")).toList()) {
                    String text = Files.readString(file);
                    collect(PREFIX.matcher(text), prefixes);
                    collect(PLACEHOLDER.matcher(text), placeholders);
                }
            }
        }
        Set<String> known = SettingNames.ofTheBus().all();
        assertThat(placeholders).contains("referral-bus.home", "referral-bus.data-dir", "referral-bus.metrics.queue-depth-interval");
        for (String placeholder : placeholders) {
            assertThat(UnknownSettings.argument(placeholder)).as(placeholder).isEmpty();
        }
        assertThat(prefixes).hasSizeGreaterThan(10);
        for (String prefix : prefixes) {
            assertThat(known).as(prefix).anyMatch(name -> name.startsWith(prefix + "."));
        }
        assertThat(SettingNames.ofTheBus().groups()).contains("home", "data-dir", "audit", "broker", "dedupe", "delivery",
                "identity", "intake", "metrics", "participants", "registry", "retention", "routing", "statistics", "tls");
    }

    @Test
    void aMisspeltSettingOrAWordThatIsNoSettingIsRefusedBeforeAnythingIsDone() {
        CommandRun typo = CommandRun.offline("database", "compact", "--referral-bus.data-dri=/tmp/nowhere");
        assertThat(typo.exit()).isEqualTo(ReferralBusCommandLine.FAILED);
        assertThat(typo.output()).startsWith("error: --referral-bus.data-dri is not a setting of the bus (did you mean referral-bus.data-dir?)")
                .contains("nothing was done");

        CommandRun deeper = CommandRun.offline("audit", "verify", "--referral-bus.statistics.kk=20");
        assertThat(deeper.exit()).isEqualTo(ReferralBusCommandLine.FAILED);
        assertThat(deeper.output()).startsWith("error: --referral-bus.statistics.kk is not a setting of the bus (did you mean"
                + " referral-bus.statistics.k?): nothing was done.");

        CommandRun noGroup = CommandRun.offline("database", "compact", "--referral-bus.compaction.level=9");
        assertThat(noGroup.output()).startsWith("error: --referral-bus.compaction.level is not a setting of the bus (its settings"
                + " start referral-bus.audit, referral-bus.broker");

        CommandRun spaced = CommandRun.offline("audit", "verify", "--referral-bus.data-dir", "/tmp/nowhere");
        assertThat(spaced.exit()).isEqualTo(ReferralBusCommandLine.FAILED);
        assertThat(spaced.output()).contains("is not an option of this command", "--name=value");
    }

    private static void collect(Matcher matcher, Set<String> into) {
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }
}

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

/**
 * The administrative commands refuse a {@code --referral-bus.*} setting whose group the bus does not have (a typo was
 * ignored, and the command ran on the default database): the list they check against holds every group the sources
 * read, by a properties record's prefix or a placeholder.
 */
class SettingsNamesTest {

    private static final Pattern READ = Pattern.compile(
            "(?:@ConfigurationProperties\\((?:prefix = )?\"|\\$\\{)referral-bus\\.([a-z-]+)");

    @Test
    void everyGroupTheBusReadsIsKnownToTheCommands() throws IOException {
        Set<String> read = new TreeSet<>();
        for (Path root : new Path[] {Path.of("src/main/java"), Path.of("src/main/resources")}) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(java|ya?ml)")).toList()) {
                    Matcher matcher = READ.matcher(Files.readString(file));
                    while (matcher.find()) {
                        read.add(matcher.group(1));
                    }
                }
            }
        }
        assertThat(read).isNotEmpty();
        assertThat(SubcommandContext.SETTING_GROUPS).containsAll(read);
    }

    @Test
    void aMisspeltSettingOrAWordThatIsNoSettingIsRefusedBeforeAnythingIsDone() {
        CommandRun typo = CommandRun.offline("database", "compact", "--referral-bus.datadir=/tmp/nowhere");
        assertThat(typo.exit()).isEqualTo(ReferralBusCommandLine.FAILED);
        assertThat(typo.output()).startsWith("error: --referral-bus.datadir is not a setting of the bus")
                .contains("referral-bus.data-dir", "nothing was done");

        CommandRun spaced = CommandRun.offline("audit", "verify", "--referral-bus.data-dir", "/tmp/nowhere");
        assertThat(spaced.exit()).isEqualTo(ReferralBusCommandLine.FAILED);
        assertThat(spaced.output()).contains("is not an option of this command", "--name=value");
    }
}

package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;

/**
 * A profile sets bus, cert, key and ca once ({@code --profile FILE} or {@code ~/.referral-bus/profile.properties});
 * options on the command line win over it; relative paths are relative to the profile's folder.
 */
class ClientProfileTest extends RunningBus {

    private static final String UNUSED_ID = "00000000-0000-0000-0000-000000000016";

    @TempDir
    Path work;

    @Test
    void theProfilesParticipantAndBusAreUsedAndCommandLineOptionsWin() throws Exception {
        String referralId = submittedByIomMission();
        Files.copy(SampleKeys.ROOT.resolve("ca.crt"), work.resolve("deployment-ca.crt"));
        Path profile = Files.writeString(work.resolve("iom.properties"), String.join("\n",
                "bus=" + baseUrl(),
                "cert=" + SampleKeys.certificate("agencies", "iom-mission").toAbsolutePath(),
                "key=" + SampleKeys.key("agencies", "iom-mission").toAbsolutePath(),
                "ca=deployment-ca.crt", ""));

        CommandRun asProfile = CommandRun.offline("status", referralId, "--profile", profile.toString());
        assertThat(asProfile.exit()).as(asProfile.output()).isZero();
        assertThat(asProfile.output()).contains("referral " + referralId);

        CommandRun asOption = CommandRun.offline("status", referralId, "--profile", profile.toString(), "--as", "border-service");
        assertThat(asOption.output()).as("--as wins over the profile's certificate").contains("(not_found)");

        Path elsewhere = Files.writeString(work.resolve("elsewhere.properties"), "bus=https://127.0.0.1:1\n");
        assertThat(CommandRun.offline("status", UNUSED_ID, "--profile", elsewhere.toString(), "--retry-delay", "10").exit())
                .isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(CommandRun.offline("status", UNUSED_ID, "--profile", elsewhere.toString(), "--bus", baseUrl()).output())
                .as("--bus wins over the profile's bus").contains("(not_found)");
    }

    @Test
    void theProfileInTheHomeFolderIsReadWithoutAnOption() throws Exception {
        String referralId = submittedByIomMission();
        Path home = work.resolve("home");
        Files.createDirectories(home.resolve(".referral-bus"));
        Files.writeString(home.resolve(".referral-bus/profile.properties"), String.join("\n",
                "bus=" + baseUrl(),
                "cert=" + SampleKeys.certificate("agencies", "iom-mission").toAbsolutePath(),
                "key=" + SampleKeys.key("agencies", "iom-mission").toAbsolutePath(), ""));
        String realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            CommandRun status = CommandRun.offline("status", referralId);
            assertThat(status.exit()).as(status.output()).isZero();
            assertThat(status.output()).contains("referral " + referralId);
        } finally {
            System.setProperty("user.home", realHome);
        }
    }

    @Test
    void runFromAFolderWithoutTheSampleKeysTheCommandSaysSo() {
        CommandRun elsewhere = CommandRun.offline("inbox", "--keys", work.resolve("keys-sample").toString());

        assertThat(elsewhere.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(elsewhere.output()).startsWith("error: No sample keys here (" + work.resolve("keys-sample/providers"))
                .contains("run the command from the project folder", "--cert, --key and --ca").doesNotContain("shelter-dushanbe");
    }

    @Test
    void aMissingProfileIsOneSentence() throws Exception {
        CommandRun missing = CommandRun.offline("inbox", "--profile", work.resolve("nope.properties").toString());

        assertThat(missing.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(missing.output()).startsWith("error: The profile ").doesNotContain("Exception");

        Path notAProfile = Files.writeString(work.resolve("referral.xml"), "<referral/>");
        CommandRun wrongFile = CommandRun.offline("inbox", "--profile", notAProfile.toString());
        assertThat(wrongFile.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(wrongFile.output()).startsWith("error: The profile " + notAProfile + " sets none of bus=, cert=, key=, ca=");
    }

    @Test
    void aSealedEnvelopeOrAPasswordProtectedKeyIsSaidAsSuch() throws Exception {
        Path sealed = Files.write(work.resolve("sealed.xml"), new byte[] {0x30, (byte) 0x82, 0x01, 0x00, (byte) 0xC3});
        CommandRun binary = CommandRun.at(baseUrl(), "submit", sealed.toString());
        assertThat(binary.exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(binary.output()).contains("is not a referral's XML", "nothing sent").doesNotContain("Invalid byte");

        org.referralbus.support.OpenSsl openssl = new org.referralbus.support.OpenSsl(work);
        org.junit.jupiter.api.Assumptions.assumeTrue(org.referralbus.support.OpenSsl.available(), "openssl is not installed");
        openssl.run("pkey", "-in", Path.of("keys-sample/agencies/border-service.key").toAbsolutePath().toString(),
                "-aes256", "-passout", "pass:secret", "-out", "locked.key").requireSuccess();
        CommandRun locked = CommandRun.offline("status", "r-1", "--cert", "keys-sample/agencies/border-service.crt",
                "--key", work.resolve("locked.key").toString());
        assertThat(locked.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(locked.output()).contains("is protected by a password", "openssl pkey -in").doesNotContain("Exception");
    }

    private String submittedByIomMission() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-return-reintegration-gbao"));
        Path file = Files.writeString(work.resolve("iom.xml"), xml);
        CommandRun submitted = CommandRun.at(baseUrl(), "submit", file.toString(), "--as", "iom-mission");
        assertThat(submitted.exit()).as(submitted.output()).isZero();
        return ReferralExamples.referralId(xml);
    }
}

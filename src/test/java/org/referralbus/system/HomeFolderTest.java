package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folder a jar's relative configuration is read from, by where the jar lies. */
class HomeFolderTest {

    @TempDir
    Path temp;

    @Test
    void anInstalledJarsHomeIsItsOwnFolder() throws Exception {
        Path installed = Files.createDirectories(temp.resolve("opt/referral-bus/routes")).getParent();

        assertThat(HomeFolder.homeOfJarIn(installed)).isEqualTo(installed);
    }

    @Test
    void aJarMavenBuiltInACheckoutsTargetBelongsToTheCheckout() throws Exception {
        Path checkout = Files.createDirectories(temp.resolve("referral-bus"));
        Files.createDirectories(checkout.resolve("routes"));
        Path target = Files.createDirectories(checkout.resolve("target"));

        assertThat(HomeFolder.homeOfJarIn(target)).isEqualTo(checkout);
    }

    @Test
    void aFolderNamedTargetWithItsOwnRoutesOrAFolderWithoutAnyStaysTheHome() throws Exception {
        Path target = Files.createDirectories(temp.resolve("a/target/routes")).getParent();
        Files.createDirectories(temp.resolve("a/routes"));
        Path bare = Files.createDirectories(temp.resolve("b/target"));
        Path elsewhere = Files.createDirectories(temp.resolve("c/lib"));
        Files.createDirectories(temp.resolve("c/routes"));

        assertThat(HomeFolder.homeOfJarIn(target)).isEqualTo(target);
        assertThat(HomeFolder.homeOfJarIn(bare)).as("the start then names the missing file there").isEqualTo(bare);
        assertThat(HomeFolder.homeOfJarIn(elsewhere)).isEqualTo(elsewhere);
    }
}

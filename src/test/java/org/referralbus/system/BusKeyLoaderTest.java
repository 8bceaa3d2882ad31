package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.core.BusKey;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.TestPki;

class BusKeyLoaderTest {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;

    @Test
    void theBusKeyIsReadFromAPasswordProtectedPkcs12Keystore() throws Exception {
        TestPki.Identity bus = TestPki.shared().identity("referral-bus", ParticipantRole.BUS, TestPki.KeyType.EC_P256);
        Path keystore = pkcs12(bus, dir.resolve("bus.p12"), PASSWORD);

        BusKey loaded = BusKeyLoader.load(new BusIdentityProperties.KeySource(null, null, keystore, PASSWORD, null));

        assertThat(loaded.certificate()).isEqualTo(bus.certificate());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(bus.key().getEncoded());
    }

    @Test
    void aWrongOrMissingPasswordStopsTheStartWithoutEchoingIt() throws Exception {
        TestPki.Identity bus = TestPki.shared().identity("referral-bus", ParticipantRole.BUS, TestPki.KeyType.EC_P256);
        Path keystore = pkcs12(bus, dir.resolve("bus.p12"), PASSWORD);

        assertThatThrownBy(() -> BusKeyLoader.load(new BusIdentityProperties.KeySource(null, null, keystore, "guess-123", null)))
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("guess-123");
        assertThatThrownBy(() -> BusKeyLoader.load(new BusIdentityProperties.KeySource(null, null, keystore, null, null)))
                .hasMessageContaining("REFERRAL_BUS_KEYSTORE_PASSWORD");
    }

    static Path pkcs12(TestPki.Identity identity, Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("bus", identity.key(), password.toCharArray(), new Certificate[] {identity.certificate()});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }
}

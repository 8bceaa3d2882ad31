package org.referralbus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;
import org.referralbus.support.SampleKeys;

class TransientKeyEntryTest {

    @Test
    void aKeyManagerReadsBackTheSameKeyAndChainWithOneWrappingRound() throws Exception {
        PrivateKey key = SampleKeys.privateKey("agencies", "ngo-hotline");
        X509Certificate certificate = SampleKeys.certificateOf("agencies", "ngo-hotline");
        char[] password = "in-memory".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);

        TransientKeyEntry.put(store, "me", key, password, new Certificate[] {certificate});

        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        X509KeyManager manager = (X509KeyManager) factory.getKeyManagers()[0];
        String alias = manager.chooseClientAlias(new String[] {"EC"}, null, null);
        assertThat(manager.getPrivateKey(alias).getEncoded()).isEqualTo(key.getEncoded());
        assertThat(manager.getCertificateChain(alias)).containsExactly(certificate);
        assertThatThrownBy(() -> store.getKey("me", "wrong".toCharArray())).as("still bound to its password")
                .isInstanceOf(UnrecoverableKeyException.class);
    }
}

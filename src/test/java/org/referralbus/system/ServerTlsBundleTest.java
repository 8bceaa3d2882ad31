package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;
import org.referralbus.core.TrustAnchors;
import org.referralbus.envelope.PemFiles;
import org.springframework.boot.ssl.SslBundle;

/**
 * The HTTPS server's key as Tomcat takes it from the bundle: Tomcat copies the key into a fresh store of the bundle's
 * type under the JDK's default protection, then builds its key manager from the copy. A JKS store makes that copy cheap
 * (no PBKDF2 on the way to ready); the key and chain must come out unchanged.
 */
class ServerTlsBundleTest {

    private static final Path KEYS = Path.of("keys-sample");

    @Test
    void tomcatsCopyOfTheServerKeyIsJksAndYieldsTheSameKeyAndChain() throws Exception {
        TlsProperties tls = new TlsProperties(KEYS.resolve("tls/localhost.crt"), KEYS.resolve("tls/localhost.key"), null, null,
                null, List.of("TLSv1.3"), List.of("TLS_AES_256_GCM_SHA384"));
        SslBundle bundle = ServerTlsConfiguration.bundle(tls, new TrustAnchors(List.of(PemFiles.readCertificate(KEYS.resolve("ca.crt")))));
        KeyStore store = bundle.getStores().getKeyStore();
        char[] password = bundle.getStores().getKeyStorePassword().toCharArray();
        String alias = bundle.getKey().getAlias();

        assertThat(store.getType()).isEqualTo("JKS");
        // What Tomcat's SSLUtilBase.getKeyManagers does with a PKCS#8 key.
        Key key = store.getKey(alias, password);
        KeyStore copy = KeyStore.getInstance(store.getType());
        copy.load(null, null);
        copy.setKeyEntry(alias, key, password, store.getCertificateChain(alias));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(copy, password);
        X509KeyManager manager = (X509KeyManager) factory.getKeyManagers()[0];

        assertThat(manager.getPrivateKey(alias).getEncoded()).isEqualTo(PemFiles.readPrivateKey(KEYS.resolve("tls/localhost.key")).getEncoded());
        assertThat(manager.getCertificateChain(alias)).containsExactlyElementsOf(PemFiles.readCertificates(KEYS.resolve("tls/localhost.crt")));
    }
}

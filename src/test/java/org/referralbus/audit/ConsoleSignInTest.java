package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;

/** Console sign-in over HTTPS without a browser: both factors, one use per TOTP code, CSRF, session required. */
class ConsoleSignInTest extends RunningBus {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    AuditorAccounts accounts;

    @Test
    void bothFactorsOpenTheConsoleAndACodeWorksOnce() throws Exception {
        String name = "signin-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "a long auditor password " + UUID.randomUUID();
        AuditorAccounts.Created account = accounts.create(name, password, "test-admin");
        String code = Totp.code(account.totpSecret(), Totp.step(Instant.now().getEpochSecond()));

        Browser first = new Browser();
        assertThat(first.get("/audit").headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/audit/login"));
        assertThat(first.signIn(name, password, "000000".equals(code) ? "111111" : "000000")).endsWith("/audit/login?error");
        assertThat(first.signIn(name, "wrong password", code)).endsWith("/audit/login?error");
        assertThat(first.signIn(name, password, code)).endsWith("/audit");
        HttpResponse<String> verify = first.get("/audit/api/verify");
        assertThat(verify.statusCode()).isEqualTo(200);
        assertThat(verify.body()).contains("\"intact\":true");
        assertThat(first.get("/audit").headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("script-src 'self'"));

        assertThat(new Browser().signIn(name, password, code)).as("replayed code").endsWith("/audit/login?error");
    }

    @Test
    void consoleListsStuckReferralsAndChartData() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-minor-khatlon"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = SampleKeys.agencySealer("iom-mission").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        assertThat(agency("iom-mission").post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode()).isEqualTo(202);
        String name = "stuck-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "another long password " + UUID.randomUUID();
        AuditorAccounts.Created account = accounts.create(name, password, "test-admin");
        Browser browser = new Browser();
        assertThat(browser.signIn(name, password, Totp.code(account.totpSecret(), Totp.step(Instant.now().getEpochSecond()))))
                .endsWith("/audit");

        // Delivered but never acknowledged: stuck after 0 hours, not after the default 24.
        assertThat(browser.get("/audit/api/stuck?hours=0").body()).contains(referralId, "\"lastStep\":\"DELIVERED\"", "\"awaiting\":[\"");
        assertThat(browser.get("/audit/api/stuck").body()).doesNotContain(referralId);
        assertThat(browser.get("/audit/api/referrals?q=" + referralId).body()).contains("\"sender\":\"iom-mission\"", "\"providers\":[");
        assertThat(browser.get("/audit/api/charts").body()).contains("\"perDay\"", "iom-mission", "\"secondsToDelivery\"");
    }

    @Test
    void signInWithoutCsrfTokenIsRefused() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> response = browser.post("/audit/login", "username=x&password=y&code=123456");
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void consoleDataNeedsASession() throws Exception {
        HttpResponse<String> response = new Browser().get("/audit/api/referrals");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/audit/login"));
    }

    private final class Browser {
        final HttpClient http;

        Browser() throws Exception {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", SampleKeys.ca());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            http = HttpClient.newBuilder().sslContext(ssl).cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String form) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Returns where the sign-in redirects to. */
        String signIn(String name, String password, String code) throws Exception {
            Matcher csrf = CSRF.matcher(get("/audit/login").body());
            assertThat(csrf.find()).isTrue();
            HttpResponse<String> response = post("/audit/login", "_csrf=" + enc(csrf.group(1)) + "&username=" + enc(name)
                    + "&password=" + enc(password) + "&code=" + enc(code));
            assertThat(response.statusCode()).isEqualTo(302);
            return response.headers().firstValue("Location").orElseThrow();
        }

        private String enc(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }
}

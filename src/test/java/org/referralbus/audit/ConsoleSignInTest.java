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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralbus.support.LogCapture;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Console sign-in over HTTPS without a browser: both factors, one use per TOTP code, CSRF, session required; and
 * what a password-guesser meets: back-off and lock-out per account and address, failures in the trail (one row per
 * account and address per window), no bcrypt for names that are no account or for attempts that must wait.
 */
class ConsoleSignInTest extends RunningBus {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final String CMS = "application/pkcs7-mime";

    @Autowired
    AuditorAccounts accounts;
    @Autowired
    SignInThrottle throttle;
    @Autowired
    RefusalTally refusals;
    @Autowired
    AuditProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    @AfterEach
    void noAddressStaysThrottled() {
        throttle.forget();
    }

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

    @Test
    void wrongSignInsBackOffAndLockWithoutBcryptAndLeaveOneRowPerReasonInTheTrail() throws Exception {
        String name = "brute-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "the real long password " + UUID.randomUUID();
        AuditorAccounts.Created account = accounts.create(name, password, "test-admin");
        refusals.flush();
        long mark = auditHead();
        long checksBefore = accounts.passwordChecks();
        Browser attacker = new Browser();

        int failed = 0;
        int throttled = 0;
        int attempts = 0;
        // Sixty guesses, then more while the name's wait has less than a second to run: on a slow machine the guesses
        // refused while waiting can outlast the wait the last failure earned, and the right factors below must meet a
        // wait that is still running.
        while (attempts < 60 || (attempts < 200
                && throttle.waitFor(name, "an address never seen").compareTo(Duration.ofSeconds(1)) < 0)) {
            String answer = attacker.signIn(name, "guess number " + attempts++, "123456");
            if (answer.endsWith("/audit/login?throttled")) {
                throttled++;
            } else {
                assertThat(answer).endsWith("/audit/login?error");
                failed++;
            }
        }
        long bcrypt = accounts.passwordChecks() - checksBefore;
        String rightCode = Totp.code(account.totpSecret(), Totp.step(Instant.now().getEpochSecond()));
        String withRightFactors = new Browser().signIn(name, password, rightCode);
        refusals.flush();

        assertThat(failed).as("answered after a password check").isEqualTo((int) bcrypt)
                .isGreaterThan(properties.signIn().accountFreeFailures())
                .isLessThanOrEqualTo(properties.signIn().accountLockAfter());
        assertThat(throttled).as("refused before any password check").isEqualTo(attempts - failed);
        assertThat(withRightFactors).as("the account waits, even for the right factors").endsWith("/audit/login?throttled");
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT actor, counterpart, detail FROM audit_event "
                + "WHERE seq > ? AND event_type = 'REJECTED' ORDER BY detail", mark);
        assertThat(rows).extracting(row -> row.get("DETAIL")).containsExactly(
                "console_sign_in_failed;count=" + failed, "console_sign_in_throttled;count=" + (throttled + 1));
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("ACTOR")).isEqualTo(name);
            assertThat((String) row.get("COUNTERPART")).startsWith("address:");
        });
    }

    @Test
    void aNameThatIsNoAccountCostsNoBcryptAndIsNeverWrittenAsTyped() throws Exception {
        String typed = "Mehrangez Rahimova";
        refusals.flush();
        long mark = auditHead();
        long checksBefore = accounts.passwordChecks();
        List<String> logged;
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 3; i++) {
                assertThat(new Browser().signIn(typed, "any password at all", "123456")).endsWith("/audit/login?error");
            }
            logged = logs.events().stream().map(e -> e.getFormattedMessage()).toList();
        }
        refusals.flush();

        assertThat(accounts.passwordChecks()).isEqualTo(checksBefore);
        assertThat(jdbc.queryForList("SELECT actor || ' ' || detail FROM audit_event WHERE seq > ? AND event_type = 'REJECTED'",
                String.class, mark)).containsExactly("unknown-account console_sign_in_failed;count=3");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE seq > ? AND (LOWER(actor) LIKE '%rahimova%' "
                + "OR LOWER(counterpart) LIKE '%rahimova%' OR LOWER(detail) LIKE '%rahimova%')", Integer.class, mark)).isZero();
        assertThat(logged).noneMatch(line -> line.toLowerCase().contains("rahimova"))
                .anyMatch(line -> line.contains("Console sign-in refused") && line.contains("account=unknown-account"));
    }

    @Test
    void manyThreadsOfWrongSignInsRunBoundedBcryptAndAgenciesAreStillServed() throws Exception {
        String name = "target-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.create(name, "the real long password " + UUID.randomUUID(), "test-admin");
        long checksBefore = accounts.passwordChecks();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<Long> agencyMillis = new ArrayList<>();
        try {
            List<Future<?>> guessers = new ArrayList<>();
            for (int thread = 0; thread < 12; thread++) {
                int t = thread;
                guessers.add(pool.submit(() -> {
                    Browser attacker = new Browser();
                    for (int i = 0; i < 15; i++) {
                        String user = t % 2 == 0 ? name : "guess-" + t + "-" + i;
                        String answer = attacker.signIn(user, "guess " + i, "123456");
                        answers.computeIfAbsent(answer.substring(answer.indexOf('?')), a -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int i = 0; i < 3; i++) {
                String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-return-reintegration-gbao"));
                byte[] envelope = SampleKeys.agencySealer("iom-mission").seal(xml.getBytes(StandardCharsets.UTF_8),
                        SampleKeys.busCertificate());
                long started = System.nanoTime();
                assertThat(agency("iom-mission").post("/api/v1/referrals", envelope, CMS).statusCode()).isEqualTo(202);
                agencyMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
            for (Future<?> guesser : guessers) {
                guesser.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long bcrypt = accounts.passwordChecks() - checksBefore;

        System.out.println("sign-in answers " + answers + ", bcrypt checks " + bcrypt + ", agency submissions ms " + agencyMillis);
        assertThat(bcrypt).as("180 guesses, 90 at a real account: bcrypt only until the account waits and locks")
                .isLessThanOrEqualTo(properties.signIn().accountLockAfter());
        assertThat(answers.keySet()).containsOnly("?error", "?throttled");
        assertThat(agencyMillis).allSatisfy(ms -> assertThat(ms).isLessThan(Duration.ofSeconds(10).toMillis()));
    }

    private long auditHead() {
        return jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);
    }

    private final class Browser {
        final HttpClient http;

        Browser() {
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("ca", SampleKeys.ca());
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, tmf.getTrustManagers(), null);
                http = HttpClient.newBuilder().sslContext(ssl).cookieHandler(new CookieManager())
                        .followRedirects(HttpClient.Redirect.NEVER).build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
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

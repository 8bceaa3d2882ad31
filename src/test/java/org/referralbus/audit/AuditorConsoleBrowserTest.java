package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.referralbus.statistics.AgeBand;
import org.referralbus.statistics.Fact;
import org.referralbus.statistics.Granularity;
import org.referralbus.statistics.Outcome;
import org.referralbus.statistics.ReferralFacts;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console in a real headless Chromium (Debian's chromium + chromedriver, never downloaded): sign in with
 * password and TOTP, find a submitted referral, see its timeline and the chain's status, charts drawn; then the
 * statistics page with its bars and a suppressed cell.
 */
class AuditorConsoleBrowserTest extends RunningBus {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target/audit-console.png");
    static final Path STATISTICS_SCREENSHOT = Path.of("target/audit-statistics.png");

    @Autowired
    AuditorAccounts accounts;
    @Autowired
    JsonMapper json;
    @Autowired
    ReferralFacts facts;

    WebDriver browser;
    Path profile;

    @BeforeEach
    void startChromium() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are not installed (.ci/run installs them): browser test skipped, "
                        + "ConsoleSignInTest still covers sign-in over HTTPS");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        profile = Files.createTempDirectory("referral-bus-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--ignore-certificate-errors", "--disable-dev-shm-usage", "--window-size=1280,1700",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void auditorSignsInFindsAReferralAndSeesItsTimelineAndAnIntactChain() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        assertThat(agency("border-service").post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode()).isEqualTo(202);
        // The shelter accepts its copy through the inbox API, so the timeline runs to the provider's acceptance.
        JsonNode inbox = json.readTree(provider("shelter-dushanbe").get("/api/v1/inbox").body());
        String deliveryId = null;
        for (JsonNode entry : inbox.get("deliveries")) {
            if (entry.get("referralId").asString().equals(referralId)) {
                deliveryId = entry.get("deliveryId").asString();
            }
        }
        assertThat(deliveryId).isNotNull();
        assertThat(provider("shelter-dushanbe").post("/api/v1/inbox/" + deliveryId + "/ack",
                "{\"decision\":\"ACCEPTED\"}".getBytes(StandardCharsets.UTF_8), "application/json").statusCode()).isEqualTo(200);
        String name = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "correct horse battery " + UUID.randomUUID();
        AuditorAccounts.Created account = accounts.create(name, password, "test-admin");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        browser.get(baseUrl() + "/audit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("code")).sendKeys(Totp.code(account.totpSecret(), Totp.step(Instant.now().getEpochSecond())));
        browser.findElement(By.id("sign-in")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chain-status"), "chain intact"));
        browser.findElement(By.id("search-input")).sendKeys(referralId);
        browser.findElement(By.id("search-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline-title"), referralId));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "ACKNOWLEDGED"));

        String timeline = browser.findElement(By.id("timeline")).getText();
        assertThat(timeline).contains("RECEIVED", "VALIDATED", "ROUTED", "DELIVERED", "ACKNOWLEDGED", "shelter-dushanbe");
        assertThat(timeline.indexOf("RECEIVED")).isLessThan(timeline.indexOf("ROUTED"));
        assertThat(timeline.indexOf("DELIVERED")).isLessThan(timeline.indexOf("ACKNOWLEDGED"));
        assertThat(browser.findElements(By.cssSelector("#chart-per-day svg rect"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#chart-time svg rect"))).isNotEmpty();
        assertThat(browser.findElement(By.id("export-link")).getAttribute("href")).contains("/audit/export?fromSeq=1&toSeq=");
        assertThat(browser.getPageSource()).doesNotContain("Меҳрангез", "Раҳимова");
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));

        // Statistics (issue 17): last quarter's referrals as bars, the small cell as a hatched bar without a number.
        LocalDate lastQuarter = Granularity.QUARTER.start(LocalDate.now(ZoneOffset.UTC)).minusMonths(3);
        for (int i = 0; i < 17; i++) {
            String id = UUID.randomUUID().toString();
            facts.record(new Fact("border-service", id, id, lastQuarter.atStartOfDay().atOffset(ZoneOffset.UTC).plusDays(i),
                    "IDENTIFIED_VICTIM", List.of("LABOUR"), i < 14 ? "FEMALE" : "MALE", AgeBand.of(30), "TJ", "DUSHANBE",
                    List.of("SHELTER"), Outcome.PENDING, null));
        }
        browser.findElement(By.id("statistics-link")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("statistics-chart")));
        assertThat(browser.findElements(By.cssSelector("#statistics-chart rect.count"))).isNotEmpty();
        assertThat(browser.findElement(By.id("statistics-table")).getText()).contains(Granularity.QUARTER.label(lastQuarter));
        browser.get(baseUrl() + "/audit/statistics?by=sex&from=" + lastQuarter + "&to=" + lastQuarter.plusMonths(3));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("statistics-chart")));
        assertThat(browser.findElements(By.cssSelector("#statistics-chart rect.suppressed"))).as("MALE: 3 people").hasSizeGreaterThanOrEqualTo(2);
        assertThat(browser.findElement(By.id("statistics-table")).getText()).contains("suppressed", "17");
        Files.write(STATISTICS_SCREENSHOT, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    }
}

package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.BytesMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.referralbus.dedupe.Receipt;
import org.referralbus.support.BusProbe;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.OpenSsl;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The clerk's path: an agency with nothing but OpenSSL seals a referral, submits it over mutual TLS, checks the
 * receipt signature with OpenSSL; the provider opens and verifies its copy with OpenSSL.
 */
class OpenSslAgencyEndToEndTest extends RunningBus {

    private static final Path KEYS = Path.of("keys-sample").toAbsolutePath();

    @Autowired
    JmsTemplate jms;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} sealed with {1}, sent as {2}")
    @CsvSource({
            "border-service, -aes-256-gcm, DER",
            "border-service, -aes-256-gcm, SMIME",
            "interior-ministry, -aes-256-gcm, PEM",
            "iom-mission, -aes-256-gcm, DER"})
    void openSslEnvelopeIsAcceptedAndTheProviderOpensItsCopyWithOpenSsl(String agency, String cipher, String form) throws Exception {
        String example = agency.equals("interior-ministry") ? "interior-ministry-labour-legal-sughd"
                : agency.equals("iom-mission") ? "iom-mission-return-reintegration-gbao"
                : "border-service-adult-woman-shelter-dushanbe";
        String provider = agency.equals("interior-ministry") ? "legal-aid-khujand"
                : agency.equals("iom-mission") ? "reintegration-national" : "shelter-dushanbe";
        String xml = ReferralExamples.withFreshId(ReferralExamples.example(example));
        String referralId = ReferralExamples.referralId(xml);
        Files.writeString(work.resolve("referral.xml"), xml);
        OpenSsl openssl = new OpenSsl(work);
        openssl.run("cms", "-sign", "-nodetach", "-binary", "-md", "sha256", "-outform", "DER", "-in", "referral.xml",
                "-signer", key(agency, "crt"), "-inkey", key(agency, "key"), "-out", "signed.der").requireSuccess();
        openssl.run("cms", "-encrypt", "-binary", cipher, "-inform", "DER", "-in", "signed.der", "-recip",
                KEYS.resolve("bus/bus.crt").toString(), "-outform", form, "-out", "referral.cms").requireSuccess();

        HttpResponse<byte[]> response = agency(agency).post("/api/v1/referrals",
                Files.readAllBytes(work.resolve("referral.cms")), "application/pkcs7-mime");

        assertThat(response.statusCode()).isEqualTo(202);
        Files.write(work.resolve("receipt.json"), response.body());
        Files.write(work.resolve("receipt.sig"), Base64.getDecoder().decode(
                response.headers().firstValue("Referral-Bus-Receipt-Signature").orElseThrow()));
        openssl.run("cms", "-verify", "-binary", "-inform", "DER", "-in", "receipt.sig", "-content", "receipt.json",
                "-CAfile", KEYS.resolve("ca.crt").toString(), "-purpose", "any", "-out", "/dev/null").requireSuccess();

        byte[] sealed = sealedCopy(provider, referralId);
        Files.write(work.resolve("delivery.cms"), sealed);
        openssl.run("cms", "-decrypt", "-inform", "DER", "-in", "delivery.cms", "-recip", providerKey(provider, "crt"),
                "-inkey", providerKey(provider, "key"), "-out", "delivery-signed.der").requireSuccess();
        openssl.run("cms", "-verify", "-inform", "DER", "-in", "delivery-signed.der",
                "-CAfile", KEYS.resolve("ca.crt").toString(), "-out", "delivery.xml").requireSuccess();
        assertThat(Files.readString(work.resolve("delivery.xml"), StandardCharsets.UTF_8))
                .contains("urn:referral-bus:delivery:1", referralId, provider);
    }

    /**
     * Issue 10, finding 8: a clerk who seals with {@code -aes-256-cbc} gets a clear, stable refusal naming the
     * option to use, decided before any decryption, audited, and nothing is delivered.
     */
    @Test
    void openSslCbcEnvelopeIsRefusedAsUnsupportedAndAudited() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-return-reintegration-gbao"));
        Files.writeString(work.resolve("referral.xml"), xml);
        OpenSsl openssl = new OpenSsl(work);
        openssl.run("cms", "-sign", "-nodetach", "-binary", "-md", "sha256", "-outform", "DER", "-in", "referral.xml",
                "-signer", key("iom-mission", "crt"), "-inkey", key("iom-mission", "key"), "-out", "signed.der").requireSuccess();
        openssl.run("cms", "-encrypt", "-binary", "-aes-256-cbc", "-inform", "DER", "-in", "signed.der", "-recip",
                KEYS.resolve("bus/bus.crt").toString(), "-outform", "DER", "-out", "referral.cms").requireSuccess();
        BusProbe probe = new BusProbe(jdbc, json).mark();

        HttpResponse<byte[]> response = agency("iom-mission").post("/api/v1/referrals",
                Files.readAllBytes(work.resolve("referral.cms")), "application/pkcs7-mime");

        JsonNode problem = probe.assertProblem(response, 400, "unsupported_envelope");
        assertThat(problem.get("title").asString()).contains("-aes-256-gcm");
        probe.assertRejectedAndNothingDelivered("unsupported_envelope");
    }

    /** legal-aid-khujand uses the HTTPS inbox (registry channel INBOX); the others their Artemis queue. */
    private byte[] sealedCopy(String provider, String referralId) throws Exception {
        if (provider.equals("legal-aid-khujand")) {
            MutualTlsClient inbox = provider(provider);
            String list = new String(inbox.get("/api/v1/inbox").body(), StandardCharsets.UTF_8);
            java.util.regex.Matcher entry = java.util.regex.Pattern
                    .compile("\"deliveryId\":\"([0-9a-f-]{36})\",\"referralId\":\"" + referralId).matcher(list);
            assertThat(entry.find()).as("inbox lists the delivery").isTrue();
            HttpResponse<byte[]> fetched = inbox.get("/api/v1/inbox/" + entry.group(1));
            assertThat(fetched.statusCode()).isEqualTo(200);
            return fetched.body();
        }
        jms.setReceiveTimeout(10_000);
        BytesMessage message = (BytesMessage) jms.receiveSelected("deliveries." + provider,
                "referralBusReferralId = '" + referralId + "'");
        assertThat(message).isNotNull();
        byte[] sealed = new byte[(int) message.getBodyLength()];
        message.readBytes(sealed);
        return sealed;
    }

    private static String key(String agency, String extension) {
        return KEYS.resolve("agencies/" + agency + "." + extension).toString();
    }

    private static String providerKey(String provider, String extension) {
        return KEYS.resolve("providers/" + provider + "." + extension).toString();
    }
}

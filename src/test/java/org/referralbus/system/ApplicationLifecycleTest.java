package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.springframework.jdbc.core.JdbcTemplate;

class ApplicationLifecycleTest {

    @TempDir
    Path dataDir;

    @Test
    void duplicateIsRecognisedAcrossARestartAndNothingIsDeliveredTwice() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());

        // Issue 4: the same person referred before and after the restart, by another agency in Latin script.
        String personFirst = java.util.UUID.randomUUID().toString();
        String personAgain = java.util.UUID.randomUUID().toString();
        String cyrillic = ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")
                .replaceFirst("<referralId>[^<]+</referralId>", "<referralId>" + personFirst + "</referralId>")
                .replace("Меҳрангез", "Гулчеҳра").replace("Раҳимова", "Қодирова").replace("1998-04-12", "1987-07-07");
        String latin = ReferralExamples.example("ngo-hotline-at-risk-online-recruitment")
                .replaceFirst("<referralId>[^<]+</referralId>", "<referralId>" + personAgain + "</referralId>")
                .replaceFirst("<givenName>[^<]+</givenName>", "<givenName>Gulchehra</givenName>")
                .replaceFirst("<familyName>[^<]+</familyName>", "<familyName>KODIROVA</familyName>")
                .replaceFirst("<patronymic>[^<]+</patronymic>", "")
                .replaceFirst("<sex>[A-Z]+</sex>", "<sex>FEMALE</sex>")
                .replaceFirst("<birthDate>[^<]+</birthDate>|<ageEstimate>[^<]+</ageEstimate>", "<birthDate>1987-07-07</birthDate>");

        byte[] firstReceipt;
        try (StandaloneBus bus = StandaloneBus.start(dataDir)) {
            HttpResponse<byte[]> first = client(bus).post("/api/v1/referrals", envelope, "application/pkcs7-mime");
            assertThat(first.statusCode()).isEqualTo(202);
            firstReceipt = first.body();
            assertThat(client(bus).post("/api/v1/referrals", SampleKeys.agencySealer("border-service").seal(
                    cyrillic.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()), "application/pkcs7-mime").statusCode())
                    .isEqualTo(202);
        }
        try (StandaloneBus bus = StandaloneBus.start(dataDir)) {
            HttpResponse<byte[]> again = client(bus).post("/api/v1/referrals", envelope, "application/pkcs7-mime");

            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(again.body()).isEqualTo(firstReceipt);
            assertThat(again.headers().firstValue("Referral-Bus-Duplicate")).hasValue("true");
            JdbcTemplate jdbc = bus.bean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND provider_id = 'shelter-dushanbe'",
                    Integer.class, referralId)).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE referral_id = ? AND event_type = 'DUPLICATE'",
                    Integer.class, referralId)).isEqualTo(1);

            HttpResponse<byte[]> hotline = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "ngo-hotline"),
                    SampleKeys.key("agencies", "ngo-hotline")).post("/api/v1/referrals", SampleKeys.agencySealer("ngo-hotline")
                    .seal(latin.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()), "application/pkcs7-mime");
            assertThat(hotline.statusCode()).isEqualTo(202);
            assertThat(bus.bean(org.referralbus.dedupe.CaseLinks.class).isLinkedToExistingCase("ngo-hotline", personAgain)).isTrue();
        }
    }

    @Test
    void prodProfileRefusesToStartWithSampleKeys() {
        assertThatThrownBy(() -> StandaloneBus.start(dataDir, "--spring.profiles.active=prod").close())
                .rootCause()
                .hasMessageContaining("Refusing to start in the prod profile with sample keys");
    }

    private static MutualTlsClient client(StandaloneBus bus) {
        return MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "border-service"),
                SampleKeys.key("agencies", "border-service"));
    }
}

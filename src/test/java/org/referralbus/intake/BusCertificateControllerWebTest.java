package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.x509;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.RefusalTally;
import org.referralbus.support.SampleKeys;
import org.referralbus.system.ApiSecurityForSlices;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Slice of the bus-certificate endpoint with the real mutual-TLS security chain ({@link ApiSecurityForSlices}):
 * participants are the sample certificates, presented with MockMvc's {@code x509(...)}. The endpoint takes no
 * input; what matters is the exact PEM and who may read it.
 */
@WebMvcTest(BusCertificateController.class)
@Import({ApiSecurityForSlices.class, BusCertificateControllerWebTest.BusCertificate.class})
class BusCertificateControllerWebTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class BusCertificate {
        @Bean
        X509Certificate busCertificate() {
            return SampleKeys.busCertificate();
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void currentCertificateIsServedAsPem() throws Exception {
        byte[] body = mvc.perform(get("/api/v1/bus/certificate")
                        .with(x509(SampleKeys.certificateOf("agencies", "ngo-hotline"))))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.parseMediaType("application/x-pem-file")))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.header()
                        .string("Referral-Bus-Max-Envelope-Bytes", "5242880")) // submit checks its envelope against it
                .andReturn().getResponse().getContentAsByteArray();

        String pem = new String(body, StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n-----END CERTIFICATE-----\n");
        assertThat(pem.lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(64));
        X509Certificate served = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(body));
        assertThat(served).isEqualTo(SampleKeys.busCertificate());
    }

    @ParameterizedTest
    @CsvSource({"agencies, border-service", "providers, legal-aid-khujand", "auditors, oversight-board", "admins, bus-admin"})
    void everyParticipantRoleMayFetchIt(String folder, String id) throws Exception {
        mvc.perform(get("/api/v1/bus/certificate").with(x509(SampleKeys.certificateOf(folder, id))))
                .andExpect(status().isOk());
    }

    @MockitoBean
    RefusalTally refusals;

    @Test
    void withoutClientCertificateItIsUnauthenticatedAndAuditedByAddress() throws Exception {
        mvc.perform(get("/api/v1/bus/certificate"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("unauthenticated"));

        verify(refusals).count(argThat(event -> event.type() == AuditEventType.REJECTED
                && "address:127.0.0.1".equals(event.actor()) && "unauthenticated".equals(event.detail())));
    }
}

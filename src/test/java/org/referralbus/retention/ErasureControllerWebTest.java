package org.referralbus.retention;

import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.referralbus.support.ProblemDetails.problem;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.x509;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.routing.RegistryProperties;
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

/** The erasure endpoint behind the real mutual-TLS chain: the coordinator only, a well-formed request only. */
@WebMvcTest(ErasureController.class)
@Import({ApiSecurityForSlices.class, ErasureControllerWebTest.Registry.class})
class ErasureControllerWebTest {

    private static final X509Certificate COORDINATOR = SampleKeys.certificateOf("providers", "coordinator");
    private static final X509Certificate SHELTER = SampleKeys.certificateOf("providers", "shelter-dushanbe");
    private static final String BODY = "{\"sender\":\"border-service\",\"referralId\":\"r-1\"}";

    @TestConfiguration
    static class Registry {
        @Bean
        RegistryProperties registryProperties() {
            return new RegistryProperties(Path.of("routes/providers.yaml"), Duration.ofSeconds(10), "child-protection-national", "coordinator");
        }
    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    Erasure erasure;

    @Test
    void coordinatorErases() throws Exception {
        when(erasure.erase("coordinator", "border-service", "r-1"))
                .thenReturn(new Erasure.Erased("border-service", "r-1", "ab".repeat(32), true, List.of("d-1", "d-2")));

        mvc.perform(post("/api/v1/erasures").with(x509(COORDINATOR)).contentType(MediaType.APPLICATION_JSON).content(BODY))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.envelopeRemoved").value(true))
                .andExpect(jsonPath("$.envelopeSha256").value("ab".repeat(32)))
                .andExpect(jsonPath("$.sealedCopies.length()").value(2));
    }

    @Test
    void anotherProviderIsForbidden() throws Exception {
        mvc.perform(post("/api/v1/erasures").with(x509(SHELTER)).contentType(MediaType.APPLICATION_JSON).content(BODY))
                .andExpect(problem(ErrorCode.FORBIDDEN));

        verifyNoInteractions(erasure);
    }

    @Test
    void requestWithoutTheSenderIsInvalid() throws Exception {
        mvc.perform(post("/api/v1/erasures").with(x509(COORDINATOR)).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"referralId\":\"r-1\"}"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST));

        verifyNoInteractions(erasure);
    }
}

package org.referralbus.participants;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.referralbus.support.BusProbe;
import org.referralbus.support.LogCapture;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.RunningBus;
import org.referralbus.support.TestPki;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Certificates from the trusted CA whose names do not say clearly who they speak for. Each used to reach Tomcat's
 * HTML 500 page with a stack trace of some 230 log lines; now each is a 401 with problem details and one log line.
 */
class MalformedCertificateEndToEndTest extends RunningBus {

    private static final String URN = "urn:referral-bus:participant:";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("two participants", TestPki.participantName("agency", "border-service"),
                        List.of(URN + "border-service", URN + "iom-mission")),
                Arguments.of("CN in another case", TestPki.participantName("agency", "Border-Service"), List.of()),
                Arguments.of("OU Agency", TestPki.participantName("Agency", "border-service"), List.of(URN + "border-service")),
                Arguments.of("two OUs", new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, TestPki.ORGANIZATION)
                        .addRDN(BCStyle.OU, "agency").addRDN(BCStyle.OU, "provider").addRDN(BCStyle.CN, "border-service")
                        .build(), List.of(URN + "border-service")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aCertificateThatNamesNoSingleParticipantGets401WithProblemDetailsAndOneLogLine(String defect, X500Name subject,
                                                                                       List<String> sanUris) throws Exception {
        TestPki.Identity identity = TestPki.sample().custom(subject, sanUris);
        MutualTlsClient client = MutualTlsClient.as(baseUrl(), identity.certificate(), identity.key());
        HttpResponse<byte[]> response;
        List<ILoggingEvent> events;
        try (LogCapture logs = LogCapture.start()) {
            response = client.get("/api/v1/bus/certificate");
            events = logs.events();
        }

        new BusProbe(jdbc, json).assertProblem(response, 401, "certificate_malformed");
        assertThat(events.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("Client certificate refused")))
                .singleElement().satisfies(line -> assertThat(line).contains("code=certificate_malformed", "claimant=certificate:"));
        assertThat(events).as("no error, no stack trace").noneMatch(e -> e.getLevel() == Level.ERROR || e.getThrowableProxy() != null);
    }
}

package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.FileAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.slf4j.LoggerFactory;

/**
 * Runs accepted and rejected referrals carrying marker names through the bus with every log line of the JVM going
 * to a file (the bus's own loggers at DEBUG), then greps the file: no name, no free text, no key material.
 */
class LogHygieneEndToEndTest extends RunningBus {

    private static final String CMS = "application/pkcs7-mime";
    private static final String GIVEN = "Zarinamarker";
    private static final String FAMILY = "Qodirovamarker";
    private static final String NOTE = "notesmarker about the recruiter";

    @TempDir
    Path logs;

    @Test
    void noNameNoteOrKeyReachesTheLogs() throws Exception {
        Path file = logs.resolve("bus.log");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger bus = context.getLogger("org.referralbus");
        Level busLevel = bus.getLevel();
        FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = fileAppender(context, file);
        root.addAppender(appender);
        bus.setLevel(Level.DEBUG);
        try {
            String xml = marked(ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));
            assertThat(submit("border-service", "border-service", xml)).isEqualTo(202);
            String invalid = xml.replace("<familyName>", "<familyName>" + "x".repeat(300));
            assertThat(submit("border-service", "border-service", ReferralExamples.withFreshId(invalid))).isEqualTo(400);
            assertThat(submit("ngo-hotline", "ngo-hotline", ReferralExamples.withFreshId(xml))).isEqualTo(403);
            String stale = ReferralExamples.withCreatedAt(ReferralExamples.withFreshId(xml), java.time.OffsetDateTime.now().minusYears(1));
            assertThat(submit("border-service", "border-service", stale)).isEqualTo(400);
        } finally {
            root.detachAppender(appender);
            appender.stop();
            bus.setLevel(busLevel);
        }

        String logged = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(logged).as("the appender saw the bus at work").contains("Rejected submission");
        assertThat(logged).doesNotContain(GIVEN, FAMILY, NOTE, "PRIVATE KEY",
                Files.readString(SampleKeys.key("bus", "bus")).lines().skip(1).findFirst().orElseThrow());
    }

    private int submit(String signer, String tlsClient, String xml) throws Exception {
        byte[] envelope = SampleKeys.agencySealer(signer).seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        return agency(tlsClient).post("/api/v1/referrals", envelope, CMS).statusCode();
    }

    private static String marked(String xml) {
        return xml.replaceFirst("<givenName>[^<]*", "<givenName>" + GIVEN)
                .replaceFirst("<familyName>[^<]*", "<familyName>" + FAMILY)
                .replaceFirst("<notes>[^<]*", "<notes>" + NOTE);
    }

    private static FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> fileAppender(LoggerContext context, Path file) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d %level %logger %msg%n%ex");
        encoder.start();
        FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}

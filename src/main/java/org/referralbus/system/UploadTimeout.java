package org.referralbus.system;

import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.referralbus.intake.IntakeProperties;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Gives a request's body its own, longer read timeout ({@code referral-bus.intake.upload-timeout}, Tomcat's
 * {@code connectionUploadTimeout}), so that {@code server.tomcat.connection-timeout} can stay short: that one bounds
 * what a client may do before it is anybody (the TLS handshake, counted from the accept) and the request's head, when
 * NIO holds no thread for it. Tomcat reads a body with a blocking read that waits for one whole TLS record (up to
 * 16 KB): over a line of 300 B/s that is about 55 s of silence as far as the server can tell. Spring Boot has no
 * setting for it (docs/operators.md, "Slow lines").
 */
@Component
class UploadTimeout implements TomcatProtocolHandlerCustomizer<AbstractHttp11Protocol<?>> {

    private final IntakeProperties intake;

    UploadTimeout(IntakeProperties intake) {
        this.intake = intake;
    }

    @Override
    public void customize(AbstractHttp11Protocol<?> protocol) {
        protocol.setDisableUploadTimeout(false);
        protocol.setConnectionUploadTimeout(intake.uploadTimeoutMillis());
    }
}

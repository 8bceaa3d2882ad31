package org.referralbus.system;

import java.io.IOException;
import java.net.SocketTimeoutException;
import org.apache.catalina.connector.Request;
import org.apache.coyote.InputBuffer;
import org.apache.tomcat.util.net.ApplicationBufferHandler;
import org.referralbus.intake.IntakeProperties;
import org.referralbus.intake.IntakeProperties.UploadPace;
import org.referralbus.system.PacedHttp11NioProtocol.BodyReads;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Holds every request body to a pace ({@code referral-bus.intake.upload-pace}, {@link BodyDeadline}): before each
 * blocking read of the body the socket's read timeout is set to the time left, never above the upload timeout, so a
 * body that falls behind is refused by Tomcat exactly as one that went silent ({@code 408 upload_incomplete}, audited
 * where the body is read), and its thread is free. Before, only each silence was bounded (2 minutes): a client sending
 * a byte every 119 s held a request thread for as long as it liked, an agency's or, within the anonymous cap, a
 * console sign-in's ({@code SlowBodyEndToEndTest}). Installed on each request with a body by
 * {@link AnonymousRequestLimit}, which knows whether its certificate is admitted, and removed when it leaves.
 */
@Component
class UploadPacing implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private volatile UploadPace pace;

    UploadPacing(IntakeProperties intake) {
        this.pace = intake.uploadPace();
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(PacedHttp11NioProtocol.class.getName());
    }

    /** For tests on the shared bus: the pace from now on; returns the one before. */
    UploadPace pace(UploadPace next) {
        UploadPace before = pace;
        pace = next;
        return before;
    }

    /** Paces the body of {@code request} until the returned handle is closed (a connector without pacing: nothing). */
    Paced start(Request request, boolean admitted) {
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        if (!(coyote.getNote(PacedHttp11NioProtocol.READ_TIMEOUT_NOTE) instanceof BodyReads reads)) {
            return () -> { };
        }
        InputBuffer body = coyote.getInputBuffer();
        PacedInput paced = new PacedInput(body, reads, new BodyDeadline(System.nanoTime(), pace, admitted, request.getContentLengthLong()));
        coyote.setInputBuffer(paced);
        return () -> {
            coyote.setInputBuffer(body); // the processor's own, read by its next request
            paced.leave();
        };
    }

    /** The pacing of one request, ended when the request leaves the valve. */
    interface Paced extends AutoCloseable {

        @Override
        void close();
    }

    private static final class PacedInput implements InputBuffer {

        private final InputBuffer body;
        private final BodyReads reads;
        private final BodyDeadline deadline;

        PacedInput(InputBuffer body, BodyReads reads, BodyDeadline deadline) {
            this.body = body;
            this.reads = reads;
            this.deadline = deadline;
        }

        @Override
        public int doRead(ApplicationBufferHandler handler) throws IOException {
            long left = deadline.remainingMillis(System.nanoTime());
            if (left <= 0) {
                throw deadline.late();
            }
            int silence = reads.uploadTimeoutMillis();
            boolean paceBinds = left < silence;
            reads.readTimeout((int) Math.min(left, silence));
            try {
                int read = body.doRead(handler);
                if (read > 0) {
                    deadline.received(read);
                }
                return read;
            } catch (SocketTimeoutException timedOut) {
                if (paceBinds) {
                    throw (SocketTimeoutException) deadline.late().initCause(timedOut);
                }
                throw timedOut;
            }
        }

        @Override
        public int available() {
            return body.available();
        }

        /**
         * What Tomcat drains of an unread body after the answer (a participant's refused upload, up to
         * {@code max-swallow-size}) waits at most the time the pace had left for each silence.
         */
        void leave() {
            reads.readTimeout((int) Math.max(1, Math.min(deadline.remainingMillis(System.nanoTime()), reads.uploadTimeoutMillis())));
        }
    }
}

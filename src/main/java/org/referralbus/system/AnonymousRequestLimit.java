package org.referralbus.system;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.concurrent.Semaphore;
import org.apache.catalina.Globals;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.StartupRefusal;
import org.referralbus.intake.IntakeProperties;
import org.referralbus.participants.ParticipantAuthentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.stereotype.Component;

/**
 * Keeps request threads for registered participants. A client without a client certificate (an auditor at the
 * console, or anyone who can reach the port) could hold a thread for as long as it trickles a body: the console's
 * sign-in reads a form, and after the bus refused a request Tomcat drains the rest of its body (up to
 * {@code max-swallow-size}), each silence bounded only by the upload timeout (2 minutes). 64 such requests from eight
 * addresses held all of {@code server.tomcat.threads.max}, and an agency's TLS handshake found no thread
 * ({@code AnonymousRequestsEndToEndTest}). So, in a Tomcat valve of the engine: ahead of every filter, with the
 * connector's request (which filters do not see), and left only after the host's error-page handling (stopping the
 * drain marks the request failed, and an error page would then replace the answer):
 * <ul>
 *     <li>at most {@code referral-bus.intake.anonymous-limit.max-concurrent} requests without an admitted certificate,
 *     and with a body, are in progress at once; the next is answered {@code 503 anonymous_limited} with
 *     {@code Connection: close} at once, counted into the trail per address ({@link RefusalTally});</li>
 *     <li>such a request whose body was not read whole (a refusal, or this valve's own 503) is not drained: Tomcat
 *     closes the connection once the answer is written, which it already does for a body announced with
 *     {@code Expect: 100-continue}. curl, sending up to 6 MB without a certificate, still read its {@code 401}
 *     problem details every time (docs/operators.md, "Slow lines").</li>
 * </ul>
 * A certificate counts only if it is admitted now ({@link ParticipantAuthentication#admit}: not revoked, naming one
 * participant, on the key a registry lists). TLS ({@code client-auth: want}) checks only chain and dates, so any
 * other certificate the deployment CA ever issued (a revoked one on a former clerk's stolen laptop, one for a
 * participant no registry lists, a look-alike on another key, one naming no participant) would pass an "is there a
 * certificate" test, be refused {@code 401} by the security chain, and hold its thread while the body trickles or is
 * drained. Such a request is treated exactly as one without a certificate. Every body, admitted or not, is held
 * to a pace here ({@link UploadPacing}): a sign-in's body to at most
 * {@code referral-bus.intake.upload-pace.max-duration-without-certificate}. The check is in-memory (a CRL's serial
 * index, the registries' maps, both as they are now, so a reload applies at once): about 2 µs for an admitted
 * certificate, measured with a CRL of 500 entries, so no cache. It logs and audits nothing itself.
 *
 * <p>Within the cap, a sign-in's body may take up to that pace's limit (1 minute), where it can delay other console
 * users but no participant.
 */
@Component
class AnonymousRequestLimit implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

    private static final Logger log = LoggerFactory.getLogger(AnonymousRequestLimit.class);

    private final int maxConcurrent;
    private final Semaphore slots;
    private final ProblemResponses problems;
    private final RefusalTally refusals;
    private final ParticipantAuthentication participants;
    private final UploadPacing pacing;

    AnonymousRequestLimit(IntakeProperties intake, TomcatServerProperties tomcat, ProblemResponses problems,
            RefusalTally refusals, ParticipantAuthentication participants, UploadPacing pacing) {
        this.maxConcurrent = intake.anonymousLimit().maxConcurrent();
        int threads = tomcat.getThreads().getMax();
        if (maxConcurrent >= threads) {
            throw new StartupRefusal("referral-bus.intake.anonymous-limit.max-concurrent (" + maxConcurrent
                    + ") is not below server.tomcat.threads.max (" + threads + "): clients without a certificate could "
                    + "hold every request thread", "Set it well below server.tomcat.threads.max (default 16 of 64).");
        }
        this.slots = new Semaphore(maxConcurrent);
        this.problems = problems;
        this.refusals = refusals;
        this.participants = participants;
        this.pacing = pacing;
    }

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        factory.addEngineValves(new Gate());
    }

    /** Requests with a body and without an admitted certificate in progress now. */
    int inProgress() {
        return maxConcurrent - slots.availablePermits();
    }

    private final class Gate extends ValveBase {

        Gate() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            if (withoutBody(request)) {
                getNext().invoke(request, response);
                return;
            }
            boolean admitted = admittedParticipant(request);
            try (UploadPacing.Paced paced = pacing.start(request, admitted)) {
                if (admitted) {
                    getNext().invoke(request, response);
                } else {
                    invokeWithinCap(request, response);
                }
            }
        }

        private void invokeWithinCap(Request request, Response response) throws IOException, ServletException {
            try {
                if (slots.tryAcquire()) {
                    try {
                        getNext().invoke(request, response);
                    } finally {
                        slots.release();
                    }
                } else {
                    refuse(request, response);
                }
            } finally {
                // An asynchronous request may read its body later, on another thread.
                if (!request.isAsync() && !request.getCoyoteRequest().isFinished()) {
                    request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
                }
            }
        }

        /**
         * A request without a body (a health probe's GET, a console page) holds its thread only while the bus answers:
         * Tomcat reads request lines and headers without one. Counting them would let strangers who fill the cap
         * turn a load balancer's probe into 503s, taking a working node out of service.
         */
        private static boolean withoutBody(Request request) {
            return request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null;
        }

        /**
         * Whether the request's certificate gets a participant in now. A refused one is tallied by the security chain
         * (or by {@link #refuse}), not here: one row per claimant or address and window, as before.
         */
        private boolean admittedParticipant(Request request) {
            if (!(request.getAttribute(Globals.CERTIFICATES_ATTR) instanceof X509Certificate[] chain) || chain.length == 0) {
                return false;
            }
            try {
                participants.admit(chain[0]);
                return true;
            } catch (BadCredentialsException refused) {
                return false;
            }
        }

        private void refuse(Request request, Response response) throws IOException {
            String address = request.getRemoteAddr();
            if (refusals.count(AuditEvent.of(AuditEventType.REJECTED, null, "address:" + address)
                    .withDetail(ErrorCode.ANONYMOUS_LIMITED.code()))) {
                log.info("Limit of requests without a client certificate reached: address={} maxConcurrent={}", address, maxConcurrent);
            }
            problems.refuseAhead(response, ErrorCode.ANONYMOUS_LIMITED);
        }
    }
}

package org.referralbus.system;

import org.apache.coyote.Processor;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's NIO HTTP/1.1 connector, with one addition: the code reading a request's body may shorten the socket's read
 * timeout for the next read ({@link UploadPacing}). Tomcat reads {@code connectionUploadTimeout} afresh before every
 * blocking read of a body, but gives no public way to set it for one request; its processor can, and leaves a setter
 * on each of its requests ({@link #READ_TIMEOUT_NOTE}). Set by class name on the connector ({@link UploadPacing}), so
 * public, with a public constructor.
 */
public class PacedHttp11NioProtocol extends Http11NioProtocol {

    /**
     * The note of a Coyote request holding its {@link BodyReads}. Tomcat uses notes
     * 1 and 2 ({@code CoyoteAdapter.ADAPTER_NOTES}, {@code Request.NOTE_BAD_REQUEST}); notes outlive the request,
     * like the processor that owns them.
     */
    static final int READ_TIMEOUT_NOTE = 31;

    /** The read timeout of one connection's body reads. */
    interface BodyReads {

        /** The connector's {@code connectionUploadTimeout} now: the longest silence of a body. */
        int uploadTimeoutMillis();

        /** The timeout of the next blocking reads on this connection. */
        void readTimeout(int millis);
    }

    @Override
    protected Processor createProcessor() {
        return new Paced(this);
    }

    private static final class Paced extends Http11Processor implements BodyReads {

        private final PacedHttp11NioProtocol protocol;

        Paced(PacedHttp11NioProtocol protocol) {
            super(protocol, protocol.getAdapter());
            this.protocol = protocol;
            request.setNote(READ_TIMEOUT_NOTE, this);
        }

        @Override
        public int uploadTimeoutMillis() {
            return protocol.getConnectionUploadTimeout();
        }

        @Override
        public void readTimeout(int millis) {
            SocketWrapperBase<?> socket = getSocketWrapper();
            if (socket != null) {
                socket.setReadTimeout(millis);
            }
        }
    }
}

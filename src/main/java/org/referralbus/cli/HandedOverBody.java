package org.referralbus.cli;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body that knows whether the HTTP client took all of it. A request whose body was taken whole and whose
 * answer never came may have reached the bus; one whose body was not (the connection never opened, or broke in the
 * handshake or before the body) cannot have been stored. A body taken whole is not proof that it left the computer:
 * the doubt goes towards "may have arrived", the answer that sends a clerk to {@code status} rather than to the fax.
 */
final class HandedOverBody implements HttpRequest.BodyPublisher {

    private final HttpRequest.BodyPublisher body;
    private volatile boolean whole;

    HandedOverBody(byte[] content) {
        this.body = HttpRequest.BodyPublishers.ofByteArray(content);
    }

    /** True once the HTTP client has taken the last byte. */
    boolean whole() {
        return whole;
    }

    @Override
    public long contentLength() {
        return body.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable failure) {
                subscriber.onError(failure);
            }

            @Override
            public void onComplete() {
                whole = true;
                subscriber.onComplete();
            }
        });
    }
}

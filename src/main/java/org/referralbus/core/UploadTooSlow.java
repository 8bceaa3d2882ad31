package org.referralbus.core;

import java.net.SocketTimeoutException;

/**
 * A request's body fell behind the pace the bus asks of every body ({@code referral-bus.intake.upload-pace}): a read
 * timeout like the upload timeout's, so Tomcat answers it the same way ({@code 408}, then {@code upload_incomplete}),
 * with a message that says which bound it was, for the one log line.
 */
public final class UploadTooSlow extends SocketTimeoutException {

    public UploadTooSlow(String reason) {
        super(reason);
    }
}

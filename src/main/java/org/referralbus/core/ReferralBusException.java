package org.referralbus.core;

/**
 * The one exception type main code throws for an expected failure. Its message must never contain referral
 * content: it is logged and may be shown to the sender.
 */
public class ReferralBusException extends RuntimeException {

    private final ErrorCode errorCode;
    private String referralId;

    public ReferralBusException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public ReferralBusException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /**
     * The referral this failure refuses, when the bus had read its id (from a signed envelope) before refusing it: its
     * rejection row and log line then name it, so the sender's clerk and the auditor can find it by id.
     */
    public ReferralBusException about(String referralId) {
        this.referralId = referralId;
        return this;
    }

    public java.util.Optional<String> referralId() {
        return java.util.Optional.ofNullable(referralId);
    }

    /** The code a failure is reported with: its own if it is one of ours, else {@link ErrorCode#INTERNAL_ERROR}. */
    public static ErrorCode codeOf(Throwable failure) {
        return failure instanceof ReferralBusException rejected ? rejected.errorCode() : ErrorCode.INTERNAL_ERROR;
    }
}

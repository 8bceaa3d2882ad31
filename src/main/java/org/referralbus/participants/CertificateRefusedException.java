package org.referralbus.participants;

import org.referralbus.core.ErrorCode;
import org.springframework.security.authentication.BadCredentialsException;

/**
 * A client certificate from the CA that does not get a participant in: it names no participant clearly, names one
 * that no registry lists, or names a listed one on another key. Answered {@code 401} with {@link #errorCode()}.
 *
 * @see RegistryBinding
 */
public class CertificateRefusedException extends BadCredentialsException {

    private final ErrorCode errorCode;
    private final String claimant;

    CertificateRefusedException(ErrorCode errorCode, String claimant, String message) {
        super(message);
        this.errorCode = errorCode;
        this.claimant = claimant;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /**
     * Who the certificate claims to be, for the audit trail and the log: the participant id it names, or
     * {@code certificate:<SHA-256 prefix>} when it names none clearly (never a subject string, which could hold anything).
     */
    public String claimant() {
        return claimant;
    }
}

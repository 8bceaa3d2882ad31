package org.referralbus.envelope;

import java.security.cert.X509Certificate;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.participants.ParticipantIdentity;
import org.referralbus.participants.ParticipantRole;

/**
 * Checks a detached CMS signature by the bus, as on receipts, from the receiving side.
 *
 * <p>Implementation note: the same signature rules as {@link SignedContentVerifier} (one signer, SHA-2, RSA or
 * ECDSA, signer certificate included) over exactly the given bytes; then the signer certificate must chain to the
 * trust anchors now and name the {@link ParticipantRole#BUS} role. A signature by any other participant, even a
 * valid one, is {@link ErrorCode#SIGNER_UNTRUSTED}.
 */
public final class DetachedSignature {

    private DetachedSignature() {
    }

    /** @return the bus certificate that signed {@code data} */
    public static X509Certificate verifyByBus(byte[] data, byte[] signature, CertificateTrust trust) {
        SignedContentVerifier.Verified verified = SignedContentVerifier.verifyDetached(data, signature);
        trust.verify(verified.signer(), verified.otherCertificates());
        if (ParticipantIdentity.of(verified.signer()).role() != ParticipantRole.BUS) {
            throw new ReferralBusException(ErrorCode.SIGNER_UNTRUSTED, "Signed by a participant, not by the bus");
        }
        return verified.signer();
    }
}

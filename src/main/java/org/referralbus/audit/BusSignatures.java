package org.referralbus.audit;

import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;

/**
 * Whether a checkpoint or tree head bears the bus's signature. The bus's key changes (security.md, "Bus key
 * rotation") and the trail keeps what every earlier key signed: a signature counts if it is by one of the bus's
 * certificates as configured (the current one, the previous one during a rotation, the retired ones), and by no other
 * certificate, whoever issued it. After a rotation, `audit verify` had found every checkpoint of the old key "forged".
 *
 * <p>And only as of the instant the signed line states ({@code at}), while that certificate was valid: a retired key is
 * kept by no one in particular after its rotation, and without this bound whoever found it could sign checkpoints and
 * heads dated today that counted as the bus's (a signature with no signing-time attribute escapes Bouncy Castle's own
 * check of the certificate's validity). The bus's own lines are dated when signed, with the certificate in force.
 */
public final class BusSignatures {

    private final List<X509Certificate> certificates;

    public BusSignatures(List<X509Certificate> certificates) {
        this.certificates = List.copyOf(certificates);
    }

    public static BusSignatures of(X509Certificate certificate) {
        return new BusSignatures(List.of(certificate));
    }

    /** @param at the instant the signed line states (a checkpoint's or a tree head's {@code at}) */
    public boolean signed(byte[] content, byte[] signature, OffsetDateTime at) {
        return signedBy(content, signature, certificate -> validAt(certificate, at));
    }

    /**
     * Whether one of the bus's certificates made this signature although the line is dated outside its validity: not a
     * forgery by someone else, but a bus that went on signing with an expired certificate (or a retired key misused).
     * An auditor must be told which, not only "forged".
     */
    public boolean signedOutsideValidity(byte[] content, byte[] signature, OffsetDateTime at) {
        return signedBy(content, signature, certificate -> !validAt(certificate, at));
    }

    /** Whether a signer of {@code signature} verifies with one of the bus's certificates that {@code eligible} admits. */
    private boolean signedBy(byte[] content, byte[] signature, java.util.function.Predicate<X509Certificate> eligible) {
        try {
            CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(content), signature);
            for (SignerInformation signer : signed.getSignerInfos().getSigners()) {
                for (X509Certificate certificate : certificates) {
                    if (eligible.test(certificate) && signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (Exception forgedOrGarbled) {
            return false;
        }
    }

    private static boolean validAt(X509Certificate certificate, OffsetDateTime at) {
        Date when = Date.from(at.toInstant());
        return !when.before(certificate.getNotBefore()) && !when.after(certificate.getNotAfter());
    }
}

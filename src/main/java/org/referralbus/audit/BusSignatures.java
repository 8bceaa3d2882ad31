package org.referralbus.audit;

import java.security.cert.X509Certificate;
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
 */
public final class BusSignatures {

    private final List<X509Certificate> certificates;

    public BusSignatures(List<X509Certificate> certificates) {
        this.certificates = List.copyOf(certificates);
    }

    public static BusSignatures of(X509Certificate certificate) {
        return new BusSignatures(List.of(certificate));
    }

    public boolean signed(byte[] content, byte[] signature) {
        try {
            CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(content), signature);
            for (SignerInformation signer : signed.getSignerInfos().getSigners()) {
                for (X509Certificate certificate : certificates) {
                    if (signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (Exception forgedOrGarbled) {
            return false;
        }
    }
}

package org.referralbus.participants;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * Who a certificate speaks for. The id comes from the subjectAltName URI
 * {@code urn:referral-bus:participant:<id>} when present, else from the subject CN; the role from the subject
 * OU. The certificate must already be trusted ({@link CertificateTrust}): this class only reads names. The URN's
 * scheme and namespace are matched without regard to case, as RFC 8141 says, and so is the rest of the prefix, which
 * the bus defines: {@code URN:Referral-Bus:Participant:x} names x and never falls back to the CN (issue 10). The id
 * itself must be lower case.
 */
public record ParticipantIdentity(String id, ParticipantRole role) {

    static final String URI_PREFIX = "urn:referral-bus:participant:";
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    public ParticipantIdentity {
        Objects.requireNonNull(role, "role");
        if (id == null || !ID.matcher(id).matches()) {
            throw new ReferralBusException(ErrorCode.FORBIDDEN, "Participant id is not of the form "
                    + ID.pattern());
        }
    }

    /** Reads the identity of a (trusted) certificate; {@link ErrorCode#FORBIDDEN} if it names none. */
    public static ParticipantIdentity of(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        String id = participantUri(certificate);
        if (id == null) {
            id = singleValue(subject, BCStyle.CN, "CN");
        }
        String ou = singleValue(subject, BCStyle.OU, "OU");
        ParticipantRole role = ParticipantRole.fromOrganizationalUnit(ou).orElseThrow(() ->
                new ReferralBusException(ErrorCode.FORBIDDEN, "Certificate subject OU names no participant role"
                        + " (serial " + certificate.getSerialNumber().toString(16) + ")"));
        return new ParticipantIdentity(id, role);
    }

    private static String participantUri(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new ReferralBusException(ErrorCode.FORBIDDEN, "Unreadable subjectAltName", e);
        }
        if (names == null) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (List<?> name : names) {
            if (((Integer) name.get(0)) == GeneralName.uniformResourceIdentifier
                    && name.get(1) instanceof String uri && uri.regionMatches(true, 0, URI_PREFIX, 0, URI_PREFIX.length())) {
                ids.add(uri.substring(URI_PREFIX.length()));
            }
        }
        if (ids.size() > 1) {
            throw new ReferralBusException(ErrorCode.FORBIDDEN, "Certificate names more than one participant");
        }
        return ids.isEmpty() ? null : ids.get(0);
    }

    private static String singleValue(X500Name subject, ASN1ObjectIdentifier type, String label) {
        RDN[] rdns = subject.getRDNs(type);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            throw new ReferralBusException(ErrorCode.FORBIDDEN,
                    "Certificate subject must have exactly one " + label);
        }
        if (!(rdns[0].getFirst().getValue() instanceof ASN1String value)) {
            throw new ReferralBusException(ErrorCode.FORBIDDEN, "Certificate subject " + label + " is not a string");
        }
        return value.getString();
    }
}

package org.referralbus.intake;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.envelope.AdmittedEnvelope;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.envelope.RefusedSignerException;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.participants.RegistryBinding;
import org.springframework.stereotype.Component;

/**
 * First step of the flow: open the sealed envelope, check that the signer is a registered agency signing with its
 * registered key ({@link RegistryBinding}) and that whoever delivered it also signed it. On the queue intake, where no
 * TLS client was checked, the registry check is what stops a certificate mis-issued in an agency's name.
 * {@link #reopen} is the same step for re-routing an envelope admitted earlier.
 */
@Component
public class EnvelopeOpening {

    private final EnvelopeOpener opener;
    private final RegistryBinding registries;

    public EnvelopeOpening(EnvelopeOpener opener, RegistryBinding registries) {
        this.opener = opener;
        this.registries = registries;
    }

    /**
     * A new submission, opened once signer and sender check out. Its RECEIVED and OPENED rows are written with the
     * VALIDATED row ({@link IntakeAudit#admitted}), or before its REJECTED row ({@link RejectionAudit}).
     */
    public OpenedEnvelope open(@Body byte[] raw, @Header(Flow.Headers.TLS_CLIENT) String tlsClient) {
        OpenedEnvelope opened;
        try {
            opened = opener.open(raw);
        } catch (RefusedSignerException refused) {
            // A certificate naming no one readably is not the caller's either: the caller's own names it.
            if (tlsClient != null && !refused.named().filter(tlsClient::equals).isPresent()) {
                throw someoneElses(tlsClient);
            }
            throw refused;
        }
        String signer = opened.signerIdentity().id();
        // Over HTTPS, someone else's envelope gets one answer whatever its signer's standing (outside review, December
        // 2026): the registry's verdict on the signer told the submitter whether it was an agency, and its serial.
        if (tlsClient != null && !tlsClient.equals(signer)) {
            throw someoneElses(tlsClient);
        }
        RegistryBinding.Verdict registered = opened.signerIdentity().role() == ParticipantRole.AGENCY
                ? registries.check(opened.signerIdentity(), opened.signer()) : RegistryBinding.Verdict.NOT_LISTED;
        if (registered == RegistryBinding.Verdict.NOT_LISTED) {
            throw new ReferralBusException(ErrorCode.FORBIDDEN, "Signer " + signer + " is not a registered agency");
        }
        if (registered == RegistryBinding.Verdict.KEY_MISMATCH) {
            throw new ReferralBusException(ErrorCode.SIGNER_UNTRUSTED, "Signer certificate serial "
                    + opened.signer().getSerialNumber().toString(16) + " names " + signer + " on a key the agency registry does not list for it");
        }
        return opened;
    }

    /**
     * Who signed is sealed inside the envelope: a participant who submits someone else's envelope over HTTPS must not
     * learn from the answer which agency reported the person, nor anything of that signer (its certificate's serial,
     * standing or role). The queue intake (no TLS client) parks the envelope for the operator, who may see the name.
     */
    private static ReferralBusException someoneElses(String tlsClient) {
        return new ReferralBusException(ErrorCode.SIGNER_MISMATCH,
                "TLS client " + tlsClient + " submitted an envelope signed by another participant");
    }

    /**
     * An envelope the bus admitted earlier, kept sealed in the database, opened again to re-route its needs. The
     * signature is checked again, the signer's certificate as of the admission ({@link EnvelopeOpener#reopen}); the
     * agency registry and the TLS client are not, and nothing is audited: this is not a new receipt, and a decline must
     * not strand a referral because its agency has since left the registry or renewed its certificate.
     */
    public OpenedEnvelope reopen(@Body AdmittedEnvelope admitted) {
        return opener.reopen(admitted);
    }
}

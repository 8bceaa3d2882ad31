package org.referralbus.intake;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bus's current encryption certificate, for any authenticated participant: after a key rotation agencies
 * fetch it here (over mutual TLS, so from the real bus) to encrypt for the new key. Providers also find it in
 * the SignedData of every delivery. With it, in {@value #MAX_ENVELOPE_HEADER}, the largest envelope the bus takes
 * ({@code referral-bus.intake.max-envelope-bytes}): {@code submit} fetches this before it sends, and says
 * {@code payload_too_large} before an upload the bus would refuse only once it had all of it.
 */
@RestController
class BusCertificateController {

    static final MediaType PEM = MediaType.parseMediaType("application/x-pem-file");

    static final String MAX_ENVELOPE_HEADER = "Referral-Bus-Max-Envelope-Bytes";

    private final byte[] pem;
    private final String maxEnvelopeBytes;

    BusCertificateController(X509Certificate busCertificate, IntakeProperties intake) {
        this.maxEnvelopeBytes = Integer.toString(intake.maxEnvelopeBytes());
        try {
            this.pem = ("-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(busCertificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
        } catch (CertificateEncodingException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Bus certificate cannot be encoded", e);
        }
    }

    @GetMapping("/api/v1/bus/certificate")
    ResponseEntity<byte[]> certificate() {
        return ResponseEntity.ok().contentType(PEM).header(MAX_ENVELOPE_HEADER, maxEnvelopeBytes).body(pem);
    }
}

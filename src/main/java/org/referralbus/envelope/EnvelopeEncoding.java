package org.referralbus.envelope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * Turns the bytes a sender posted into the outer CMS {@link ContentInfo}: raw DER/BER, PEM
 * ({@code BEGIN CMS} / {@code BEGIN PKCS7}) or opaque S/MIME as {@code openssl cms -encrypt} writes it. Every
 * failure is {@link ErrorCode#ENVELOPE_MALFORMED}. Stateless.
 */
final class EnvelopeEncoding {

    private static final String[] PEM_LABELS = {"CMS", "PKCS7"};

    private EnvelopeEncoding() {
    }

    static ContentInfo decode(byte[] raw) {
        if (raw.length == 0) {
            throw malformed("empty body");
        }
        if ((raw[0] & 0xff) == 0x30) {
            return parseAsn1(raw);
        }
        String text = ascii(raw);
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("-----BEGIN ")) {
            return parseAsn1(fromPem(trimmed));
        }
        return parseAsn1(fromSmime(text));
    }

    private static byte[] fromPem(String text) {
        for (String label : PEM_LABELS) {
            String begin = "-----BEGIN " + label + "-----";
            String end = "-----END " + label + "-----";
            if (text.startsWith(begin)) {
                int endAt = text.indexOf(end);
                if (endAt < 0 || !text.substring(endAt + end.length()).isBlank()) {
                    throw malformed("PEM without matching end line");
                }
                return base64(text.substring(begin.length(), endAt));
            }
        }
        throw malformed("PEM label is not CMS or PKCS7");
    }

    private static byte[] fromSmime(String text) {
        String normalised = text.replace("\r\n", "\n");
        int blank = normalised.indexOf("\n\n");
        if (blank < 0) {
            throw malformed("not DER, PEM or S/MIME");
        }
        String contentType = null;
        String transferEncoding = null;
        for (String header : normalised.substring(0, blank).replaceAll("\n[ \t]+", " ").split("\n")) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw malformed("S/MIME header line without a name");
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (name.equals("content-type")) {
                contentType = value;
            } else if (name.equals("content-transfer-encoding")) {
                transferEncoding = value;
            }
        }
        if (contentType == null || !isPkcs7Mime(contentType)) {
            throw malformed("S/MIME content type is not application/pkcs7-mime");
        }
        if (!"base64".equals(transferEncoding)) {
            throw malformed("S/MIME transfer encoding is not base64");
        }
        return base64(normalised.substring(blank + 2));
    }

    private static boolean isPkcs7Mime(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim();
        return mediaType.equals("application/pkcs7-mime") || mediaType.equals("application/x-pkcs7-mime");
    }

    private static byte[] base64(String body) {
        try {
            return Base64.getDecoder().decode(body.replaceAll("[ \t\r\n]", ""));
        } catch (IllegalArgumentException e) {
            throw malformed("invalid base64");
        }
    }

    private static ContentInfo parseAsn1(byte[] encoded) {
        try (ASN1InputStream in = new ASN1InputStream(encoded)) {
            ASN1Primitive object = in.readObject();
            if (object == null || in.readObject() != null) {
                throw malformed("not exactly one ASN.1 object");
            }
            return ContentInfo.getInstance(object);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ReferralBusException rbe) {
                throw rbe;
            }
            throw new ReferralBusException(ErrorCode.ENVELOPE_MALFORMED, "Envelope is not valid ASN.1 CMS", e);
        }
    }

    private static String ascii(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    private static ReferralBusException malformed(String reason) {
        return new ReferralBusException(ErrorCode.ENVELOPE_MALFORMED, "Envelope is malformed: " + reason);
    }
}

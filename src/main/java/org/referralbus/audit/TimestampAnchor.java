package org.referralbus.audit;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * An RFC 3161 client over HTTP, and the check of the tokens it brings back.
 *
 * <p>Implementation note: the request carries SHA-256 of the signed line, a random 64-bit nonce and asks for the
 * authority's certificate; {@link TimeStampResponse#validate} checks that the answer is a granted token for that
 * imprint and nonce. A stored token is accepted only if it verifies under the configured authority certificate
 * (which must carry the critical timeStamping extended key usage) and its imprint is SHA-256 of the line.
 */
final class TimestampAnchor {

    private static final SecureRandom NONCES = new SecureRandom();

    private final URI url;
    private final Duration timeout;
    private final HttpClient http;

    TimestampAnchor(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The DER token the authority granted for {@code line}. */
    byte[] timestamp(byte[] line) {
        try {
            TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
            generator.setCertReq(true);
            TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, sha256(line), new BigInteger(64, NONCES));
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/timestamp-query")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "The time-stamping authority answered HTTP " + answer.statusCode());
            }
            TimeStampResponse response = new TimeStampResponse(answer.body());
            response.validate(request);
            if (response.getTimeStampToken() == null) {
                throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "The time-stamping authority granted no token: "
                        + response.getStatusString());
            }
            return response.getTimeStampToken().getEncoded();
        } catch (IOException | TSPException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Timestamping failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Timestamping interrupted", e);
        }
    }

    /** True when {@code token} is the authority's signature over SHA-256 of {@code line}. */
    static boolean verify(byte[] token, byte[] line, X509Certificate authority) {
        if (token == null) {
            return false;
        }
        try {
            TimeStampToken parsed = new TimeStampToken(new CMSSignedData(token));
            parsed.validate(new JcaSimpleSignerInfoVerifierBuilder().build(authority));
            return MessageDigest.isEqual(parsed.getTimeStampInfo().getMessageImprintDigest(), sha256(line))
                    && TSPAlgorithms.SHA256.equals(parsed.getTimeStampInfo().getMessageImprintAlgOID());
        } catch (Exception forgedOrGarbled) {
            return false;
        }
    }

    private static byte[] sha256(byte[] bytes) {
        return java.util.HexFormat.of().parseHex(org.referralbus.core.Sha256.hex(bytes));
    }
}

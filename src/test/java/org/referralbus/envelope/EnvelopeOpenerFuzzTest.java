package org.referralbus.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.referralbus.envelope.EnvelopeRoundTripTest.agencyEc;
import static org.referralbus.envelope.EnvelopeRoundTripTest.busEc;
import static org.referralbus.envelope.EnvelopeRoundTripTest.openerFor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.support.FuzzRun;
import org.referralbus.support.SeededMutator;

/**
 * Fuzzes {@link EnvelopeOpener#open} with mutations of real envelopes sealed from the published examples (outer
 * layer: DER, PEM, GCM and CBC), and with envelopes correctly encrypted around a mutated inner SignedData (so the
 * signature verifier and the certificate parser get hostile input too). Success or a clean rejection only.
 */
class EnvelopeOpenerFuzzTest {

    private static final Set<ErrorCode> CLEAN_REJECTIONS = EnumSet.of(ErrorCode.ENVELOPE_MALFORMED,
            ErrorCode.UNSUPPORTED_ENVELOPE, ErrorCode.DECRYPTION_FAILED, ErrorCode.UNSUPPORTED_KEY_TRANSPORT, ErrorCode.SIGNATURE_INVALID,
            ErrorCode.SIGNER_UNTRUSTED, ErrorCode.FORBIDDEN);

    private final EnvelopeOpener opener = openerFor(busEc());
    private final EnvelopeSealer agency = new EnvelopeSealer(agencyEc().key(), agencyEc().certificate());

    @Test
    void mutatedEnvelopesAreOpenedOrCleanlyRejected() throws Exception {
        List<byte[]> corpus = new ArrayList<>();
        for (byte[] xml : examples()) {
            byte[] der = agency.seal(xml, busEc().certificate());
            corpus.add(der);
            corpus.add(pem(der));
        }
        corpus.add(TestEnvelopes.envelopedCbc(agency.sign(examples().get(0)),
                TestEnvelopes.ecdh(busEc().certificate(), CMSAlgorithm.ECDH_SHA256KDF), CMSAlgorithm.AES256_CBC));

        FuzzRun.Outcome outcome = FuzzRun.run("envelope-outer", new SeededMutator(FuzzRun.SEED, corpus), CLEAN_REJECTIONS,
                envelope -> assertAuthentic(opener.open(envelope)));

        assertThat(outcome.rejected()).isPositive();
    }

    @Test
    void mutatedSignedDataInsideAValidEncryptionIsVerifiedOrCleanlyRejected() throws Exception {
        List<byte[]> corpus = new ArrayList<>();
        for (byte[] xml : examples()) {
            corpus.add(agency.sign(xml));
        }
        SeededMutator mutator = new SeededMutator(FuzzRun.SEED + 1, corpus);

        FuzzRun.Outcome outcome = FuzzRun.run("envelope-inner", mutator, CLEAN_REJECTIONS,
                signedData -> assertAuthentic(opener.open(sealFor(signedData))));

        assertThat(outcome.rejected()).isPositive();
    }

    /** Found by the fuzzer: a certificate inside the SignedData whose version does not parse was a 500. */
    @Test
    void signedDataWithAnUnparseableCertificateIsAnInvalidSignature() throws Exception {
        byte[] found = Files.readAllBytes(Path.of("src/test/resources/envelopes/fuzz/signed-data-with-unparseable-certificate.der"));

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> opener.open(sealFor(found))))
                .isInstanceOfSatisfying(org.referralbus.core.ReferralBusException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGNATURE_INVALID));
    }

    /** A mutated envelope that still opens must carry, byte for byte, a content the agency signed. */
    private static void assertAuthentic(OpenedEnvelope opened) {
        try {
            if (examples().stream().noneMatch(example -> java.util.Arrays.equals(example, opened.content()))) {
                throw new AssertionError("a mutated envelope opened with content nobody signed");
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sealFor(byte[] signedData) {
        try {
            return TestEnvelopes.authEnveloped(signedData, TestEnvelopes.ecdh(busEc().certificate(),
                    CMSAlgorithm.ECDH_SHA256KDF), CMSAlgorithm.AES256_GCM);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pem(byte[] der) {
        return ("-----BEGIN CMS-----\n" + java.util.Base64.getMimeEncoder().encodeToString(der) + "\n-----END CMS-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static List<byte[]> examples() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("schemas/examples"))) {
            return files.sorted().map(file -> {
                try {
                    return Files.readAllBytes(file);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}

package org.referralbus.participants;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificate revocation lists from files (PEM or DER, one or more CRLs per file), for TLS clients and CMS signers.
 *
 * <p>Implementation note: a CRL is used only if its signature verifies with the key of a trust anchor whose
 * subject is the CRL issuer, so a forged file cannot un-revoke anyone's certificate (it can only fail to load).
 * The files are re-read at most every {@code checkInterval} and swapped in when their bytes change, so an operator
 * revokes a certificate by replacing the file, without a restart. If a changed file does not load, the last good
 * lists stay in force and a warning is logged: revocations never silently disappear. At start-up an unreadable
 * file stops the bus. The snapshot is an immutable list behind a volatile field; thread-safe.
 */
public final class RevocationLists implements Revocations {

    private static final Logger log = LoggerFactory.getLogger(RevocationLists.class);

    private record Snapshot(byte[] fingerprint, List<X509CRL> crls) {
    }

    private final List<Path> files;
    private final List<X509Certificate> anchors;
    private final Duration checkInterval;
    private final Clock clock;
    private volatile Snapshot snapshot;
    private volatile Instant checkedAt;

    public RevocationLists(List<Path> files, List<X509Certificate> anchors, Duration checkInterval, Clock clock) {
        this.files = List.copyOf(files);
        this.anchors = List.copyOf(anchors);
        this.checkInterval = checkInterval;
        this.clock = clock;
        try {
            this.snapshot = load();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load the configured CRL files " + files + ": " + e.getMessage(), e);
        }
        this.checkedAt = clock.instant();
    }

    /** Whether a CRL of the certificate's issuer lists it, whatever the date: for a certificate presented now. */
    public boolean isRevoked(X509Certificate certificate) {
        return revokedSince(certificate).isPresent();
    }

    @Override
    public Optional<Instant> revokedSince(X509Certificate certificate) {
        for (X509CRL crl : current()) {
            if (!crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())) {
                continue;
            }
            X509CRLEntry entry = crl.getRevokedCertificate(certificate);
            if (entry != null) {
                Instant since = entry.getRevocationDate().toInstant();
                Instant invalid = invalidityDate(entry);
                return Optional.of(invalid != null && invalid.isBefore(since) ? invalid : since);
            }
        }
        return Optional.empty();
    }

    /** The earliest {@code nextUpdate} of the CRLs in force, if any has one: when a fresh CRL must be published. */
    public Optional<Instant> earliestNextUpdate() {
        return current().stream().map(X509CRL::getNextUpdate).filter(java.util.Objects::nonNull).map(java.util.Date::toInstant)
                .min(java.util.Comparator.naturalOrder());
    }

    /** RFC 5280 5.3.2: when the key is known or suspected to have been compromised, if the CA says so. */
    private static Instant invalidityDate(X509CRLEntry entry) {
        byte[] extension = entry.getExtensionValue(Extension.invalidityDate.getId());
        if (extension == null) {
            return null;
        }
        try {
            return ASN1GeneralizedTime.getInstance(JcaX509ExtensionUtils.parseExtensionValue(extension)).getDate().toInstant();
        } catch (IOException | java.text.ParseException | IllegalArgumentException unreadable) {
            return null; // the revocation date still stands
        }
    }

    private List<X509CRL> current() {
        Instant now = clock.instant();
        if (!files.isEmpty() && !now.isBefore(checkedAt.plus(checkInterval))) {
            checkedAt = now;
            reloadIfChanged();
        }
        return snapshot.crls();
    }

    private synchronized void reloadIfChanged() {
        try {
            byte[] fingerprint = fingerprint();
            if (!Arrays.equals(fingerprint, snapshot.fingerprint())) {
                snapshot = load();
                log.info("Reloaded {} CRL(s) from {}", snapshot.crls().size(), files);
            }
        } catch (IOException | GeneralSecurityException e) {
            log.warn("CRL files {} changed but do not load ({}); the previous CRLs stay in force", files, e.getMessage());
        }
    }

    private Snapshot load() throws IOException, GeneralSecurityException {
        byte[] fingerprint = fingerprint();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509CRL> crls = new ArrayList<>();
        for (Path file : files) {
            Collection<? extends CRL> read = factory.generateCRLs(new ByteArrayInputStream(Files.readAllBytes(file)));
            if (read.isEmpty()) {
                throw new GeneralSecurityException("No CRL in " + file);
            }
            for (CRL crl : read) {
                X509CRL x509 = (X509CRL) crl;
                verify(x509);
                if (x509.getNextUpdate() != null && x509.getNextUpdate().toInstant().isBefore(clock.instant())) {
                    log.warn("CRL of {} in {} is past its nextUpdate: publish a fresh one", x509.getIssuerX500Principal(), file);
                }
                crls.add(x509);
            }
        }
        return new Snapshot(fingerprint, List.copyOf(crls));
    }

    private void verify(X509CRL crl) throws GeneralSecurityException {
        for (X509Certificate anchor : anchors) {
            if (anchor.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                crl.verify(anchor.getPublicKey());
                return;
            }
        }
        throw new GeneralSecurityException("CRL issuer " + crl.getIssuerX500Principal() + " is not a trust anchor");
    }

    private byte[] fingerprint() throws IOException, GeneralSecurityException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (Path file : files) {
            digest.update(Files.readAllBytes(file));
            digest.update((byte) 0);
        }
        return digest.digest();
    }
}

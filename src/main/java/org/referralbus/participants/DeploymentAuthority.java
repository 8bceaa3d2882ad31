package org.referralbus.participants;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.referralbus.core.OwnerOnlyFiles;

/**
 * The deployment's own certificate authority, kept in one folder: {@code ca.crt}, {@code ca.key}, {@code ca.crl} (the
 * CRL the bus reads, {@code referral-bus.identity.crl-files}), {@code bus/bus.*}, {@code tls/server.*}, and one
 * {@code agencies/<id>.crt} or {@code providers/<id>.crt} per participant added (and every certificate ever issued
 * under {@code issued/<serial>-<id>.crt}, so a revocation covers renewals). All PEM, keys unencrypted PKCS#8
 * with owner-only permissions, so {@code openssl} reads every file.
 *
 * <p>Implementation note: the CA key is EC P-384 and signs with SHA-384; everything else is EC P-256 except a
 * participant's key, which comes from its CSR (the CSR's signature is checked, so the requester holds the key; its
 * subject is ignored: the CA writes {@code O=<CA's O>, OU=<role>, CN=<id>} and the SAN URI
 * {@code urn:referral-bus:participant:<id>} that {@link ParticipantIdentity} reads). Serial numbers are 127 random
 * bits, never reused. Revocation re-issues the whole CRL: the old entries stay, the new ones are added.
 */
public final class DeploymentAuthority {

    public static final String PARTICIPANT_URN = "urn:referral-bus:participant:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration CRL_VALIDITY = Duration.ofDays(30);

    private final Path dir;
    private final X509Certificate caCertificate;
    private final PrivateKey caKey;

    private DeploymentAuthority(Path dir, X509Certificate caCertificate, PrivateKey caKey) {
        this.dir = dir;
        this.caCertificate = caCertificate;
        this.caKey = caKey;
    }

    /** A fresh deployment PKI in {@code dir}, which must not hold one yet. */
    public static DeploymentAuthority create(Path dir, String organization, List<String> serverNames, Duration validity)
            throws IOException, GeneralSecurityException {
        if (Files.exists(dir.resolve("ca.key"))) {
            throw new IllegalStateException(dir.resolve("ca.key") + " exists already");
        }
        Files.createDirectories(dir);
        KeyPair ca = generate("secp384r1");
        X500Name caName = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.CN, organization + " Referral Bus CA").build();
        Instant now = Instant.now();
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minusSeconds(300)),
                Date.from(now.plus(CA_VALIDITY)), caName, ca.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(ca.getPublic()));
        X509Certificate caCertificate = convert(builder.build(signer(ca.getPrivate())));
        writePrivate(dir.resolve("ca.key"), ca.getPrivate());
        write(dir.resolve("ca.crt"), pem(caCertificate));
        DeploymentAuthority authority = new DeploymentAuthority(dir, caCertificate, ca.getPrivate());
        KeyPair bus = generate("secp256r1");
        writePrivate(dir.resolve("bus/bus.key"), bus.getPrivate());
        write(dir.resolve("bus/bus.crt"), pem(authority.participant("referral-bus", ParticipantRole.BUS, bus.getPublic(), validity)));
        KeyPair server = generate("secp256r1");
        writePrivate(dir.resolve("tls/server.key"), server.getPrivate());
        write(dir.resolve("tls/server.crt"), pem(authority.server(serverNames, server.getPublic(), validity)));
        authority.writeCrl(List.of());
        return authority;
    }

    /** The PKI {@code keys init} made in {@code dir}. */
    public static DeploymentAuthority open(Path dir) throws IOException, GeneralSecurityException {
        return new DeploymentAuthority(dir, readCertificate(dir.resolve("ca.crt")), readPrivateKey(dir.resolve("ca.key")));
    }

    public Path crlFile() {
        return dir.resolve("ca.crl");
    }

    /** Issues the participant's certificate for the key in the CSR and writes it to {@code <folder>/<id>.crt}; returns the file. */
    public Path issue(String id, ParticipantRole role, byte[] csrPem, Duration validity) throws IOException, GeneralSecurityException {
        new ParticipantIdentity(id, role);
        JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(readCsr(csrPem));
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getPublicKey()))) {
                throw new GeneralSecurityException("the CSR's signature does not verify");
            }
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.pkcs.PKCSException e) {
            throw new GeneralSecurityException("the CSR's signature cannot be checked", e);
        }
        strongEnough(csr.getPublicKey());
        X509Certificate certificate = participant(id, role, csr.getPublicKey(), validity);
        Path file = dir.resolve(folder(role)).resolve(id + ".crt");
        write(file, pem(certificate));
        write(dir.resolve("issued").resolve(certificate.getSerialNumber().toString(16) + "-" + id + ".crt"), pem(certificate));
        return file;
    }

    /** Every certificate this CA issued to {@code id}, renewals too, oldest first. */
    public List<X509Certificate> issuedTo(String id) throws IOException, GeneralSecurityException {
        new ParticipantIdentity(id, ParticipantRole.AGENCY);
        List<X509Certificate> issued = new ArrayList<>();
        Path folder = dir.resolve("issued");
        if (Files.isDirectory(folder)) {
            try (var files = Files.list(folder)) {
                // <serial in hex>-<id>.crt: the id is all after the first '-' (ids contain '-' too, and "hotline" ends
                // "ngo-hotline"), and the certificate itself must name it
                for (Path file : files.filter(f -> isIssuedTo(f.getFileName().toString(), id)).toList()) {
                    X509Certificate certificate = readCertificate(file);
                    if (ParticipantIdentity.of(certificate).id().equals(id)) {
                        issued.add(certificate);
                    }
                }
            }
        }
        issued.sort(java.util.Comparator.comparing(X509Certificate::getNotBefore));
        return issued;
    }

    private static boolean isIssuedTo(String fileName, String id) {
        int dash = fileName.indexOf('-');
        return dash > 0 && fileName.substring(dash + 1).equals(id + ".crt");
    }

    /** Adds every certificate this CA issued to {@code id} (renewals too) to the CRL; returns how many there are. */
    public int revoke(String id) throws IOException, GeneralSecurityException {
        List<X509Certificate> issued = issuedTo(id);
        if (issued.isEmpty()) {
            return 0;
        }
        writeCrl(issued);
        return issued.size();
    }

    /**
     * Adds one certificate of {@code id} to the CRL: one this CA signed and that names {@code id}, kept in {@code issued/}
     * or not (a CA that issued with openssl keeps no such copy). After a renewal on a new key, the old one alone.
     */
    public void revoke(String id, X509Certificate certificate) throws IOException, GeneralSecurityException {
        certificate.verify(caCertificate.getPublicKey());
        if (!ParticipantIdentity.of(certificate).id().equals(id)) {
            throw new GeneralSecurityException("the certificate names " + ParticipantIdentity.of(certificate).id() + ", not " + id);
        }
        writeCrl(List.of(certificate));
    }

    /**
     * The other certificates this CA issued to {@code id} on the key of {@code certificate} that still work: not expired,
     * not in the CRL. Revoking one certificate does not revoke its key while a same-key renewal of it is still good.
     */
    public List<X509Certificate> sameKeyStillValid(String id, X509Certificate certificate) throws IOException, GeneralSecurityException {
        X509CRL crl = Files.isRegularFile(crlFile()) ? readCrl(crlFile()) : null;
        Date now = new Date();
        List<X509Certificate> valid = new ArrayList<>();
        for (X509Certificate other : issuedTo(id)) {
            if (java.util.Arrays.equals(other.getPublicKey().getEncoded(), certificate.getPublicKey().getEncoded())
                    && !other.getSerialNumber().equals(certificate.getSerialNumber()) && other.getNotAfter().after(now)
                    && (crl == null || !crl.isRevoked(other))) {
                valid.add(other);
            }
        }
        return valid;
    }

    /** Whether the CRL already lists {@code certificate}: a repeated revoke says so rather than "revoked" again. */
    public boolean revoked(X509Certificate certificate) throws IOException, GeneralSecurityException {
        return Files.isRegularFile(crlFile()) && readCrl(crlFile()).isRevoked(certificate);
    }

    /** Until when the CRL is good; every revoke re-signs it. */
    public Instant crlNextUpdate() throws IOException, GeneralSecurityException {
        return readCrl(crlFile()).getNextUpdate().toInstant();
    }

    public static String folder(ParticipantRole role) {
        return role == ParticipantRole.AGENCY ? "agencies" : role.name().toLowerCase(Locale.ROOT) + "s";
    }

    private void writeCrl(List<X509Certificate> newlyRevoked) throws IOException, GeneralSecurityException {
        Instant now = Instant.now();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
                Date.from(now.minusSeconds(60))).setNextUpdate(Date.from(now.plus(CRL_VALIDITY)));
        List<BigInteger> listed = new ArrayList<>();
        if (Files.isRegularFile(crlFile())) {
            X509CRL existing = readCrl(crlFile());
            if (existing.getRevokedCertificates() != null) {
                for (X509CRLEntry entry : existing.getRevokedCertificates()) {
                    builder.addCRLEntry(entry.getSerialNumber(), entry.getRevocationDate(), CRLReason.unspecified);
                    listed.add(entry.getSerialNumber());
                }
            }
        }
        for (X509Certificate certificate : newlyRevoked) {
            if (!listed.contains(certificate.getSerialNumber())) {
                builder.addCRLEntry(certificate.getSerialNumber(), Date.from(now.minusSeconds(60)), CRLReason.unspecified);
            }
        }
        X509CRL crl = new JcaX509CRLConverter().getCRL(builder.build(signer(caKey)));
        write(crlFile(), pem(crl));
    }

    /**
     * The keys the CA certifies: RSA of 2048 bits or more, EC on a curve of 256 bits or more (what CMS envelopes and TLS
     * here use). A 1024-bit RSA CSR was issued a certificate without a word (an outside walkthrough found it).
     */
    static void strongEnough(PublicKey key) throws GeneralSecurityException {
        if (key instanceof java.security.interfaces.RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048
                || key instanceof java.security.interfaces.ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() >= 256) {
            return;
        }
        String what = key instanceof java.security.interfaces.RSAPublicKey rsa ? "an RSA key of " + rsa.getModulus().bitLength() + " bits"
                : key instanceof java.security.interfaces.ECPublicKey ec ? "an EC key of " + ec.getParams().getCurve().getField().getFieldSize() + " bits"
                : "a " + key.getAlgorithm() + " key";
        throw new GeneralSecurityException("the CSR holds " + what + "; the CA certifies RSA keys of 2048 bits or more and EC keys"
                + " of P-256 or stronger");
    }

    private X509Certificate participant(String id, ParticipantRole role, PublicKey key, Duration validity) throws GeneralSecurityException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization())
                .addRDN(BCStyle.OU, role.name().toLowerCase(Locale.ROOT)).addRDN(BCStyle.CN, id).build();
        int usage = KeyUsage.digitalSignature | ("EC".equals(key.getAlgorithm()) ? KeyUsage.keyAgreement : KeyUsage.keyEncipherment);
        return leaf(subject, key, validity, new KeyUsage(usage),
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_emailProtection}),
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, PARTICIPANT_URN + id)));
    }

    private X509Certificate server(List<String> names, PublicKey key, Duration validity) throws GeneralSecurityException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization()).addRDN(BCStyle.CN, names.get(0)).build();
        GeneralName[] sans = names.stream()
                .map(n -> n.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        return leaf(subject, key, validity, new KeyUsage(KeyUsage.digitalSignature),
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth), new GeneralNames(sans));
    }

    private X509Certificate leaf(X500Name subject, PublicKey key, Duration validity, KeyUsage usage, ExtendedKeyUsage extendedUsage,
                                 GeneralNames altNames) throws GeneralSecurityException {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(),
                    Date.from(now.minusSeconds(300)), Date.from(now.plus(validity)), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, usage)
                    .addExtension(Extension.extendedKeyUsage, false, extendedUsage)
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(caCertificate))
                    .addExtension(Extension.subjectAlternativeName, false, altNames);
            return convert(builder.build(signer(caKey)));
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private String organization() {
        X500Name name = X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
        var rdns = name.getRDNs(BCStyle.O);
        return rdns.length == 0 ? "Referral Bus" : rdns[0].getFirst().getValue().toString();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).setBit(126);
    }

    private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder("SHA384withECDSA").build(key);
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X509Certificate convert(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static KeyPair generate(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve), RANDOM);
        return generator.generateKeyPair();
    }

    private static PKCS10CertificationRequest readCsr(byte[] pem) throws GeneralSecurityException {
        Object object = parse(new String(pem, StandardCharsets.US_ASCII));
        if (object instanceof PKCS10CertificationRequest csr) {
            return csr;
        }
        throw new GeneralSecurityException("not a PEM certificate signing request (BEGIN CERTIFICATE REQUEST)");
    }

    public static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        if (parse(Files.readString(file, StandardCharsets.US_ASCII)) instanceof X509CertificateHolder holder) {
            return convert(holder);
        }
        throw new GeneralSecurityException(file + " holds no PEM certificate");
    }

    private static X509CRL readCrl(Path file) throws IOException, GeneralSecurityException {
        if (parse(Files.readString(file, StandardCharsets.US_ASCII)) instanceof org.bouncycastle.cert.X509CRLHolder holder) {
            return new JcaX509CRLConverter().getCRL(holder);
        }
        throw new GeneralSecurityException(file + " holds no PEM CRL");
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        Object object = parse(Files.readString(file, StandardCharsets.US_ASCII));
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (object instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
            return converter.getKeyPair(pair).getPrivate();
        }
        throw new GeneralSecurityException(file + " holds no unencrypted PEM private key");
    }

    private static Object parse(String pem) throws GeneralSecurityException {
        try (Reader reader = new java.io.StringReader(pem); PEMParser parser = new PEMParser(reader)) {
            return parser.readObject();
        } catch (IOException e) {
            throw new GeneralSecurityException("unreadable PEM", e);
        }
    }

    private static String pem(Object object) throws IOException {
        try (StringWriter out = new StringWriter(); JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
            writer.flush();
            return out.toString();
        }
    }

    /** Created owner-only before the key is written, so it is never readable by others, not even for a moment. */
    private static void writePrivate(Path file, PrivateKey key) throws IOException {
        OwnerOnlyFiles.create(file);
        write(file, pem(new JcaPKCS8Generator(key, null).generate()));
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }
}

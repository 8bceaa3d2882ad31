package org.referralbus.support;

import java.io.IOException;
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
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.referralbus.participants.ParticipantRole;

/**
 * A throwaway PKI generated at test time, shaped like keys-sample: subject
 * {@code O=Referral Bus SAMPLE ONLY, OU=<role>, CN=<id>}, SAN URI {@code urn:referral-bus:participant:<id>}.
 * Identities are cached per PKI (RSA key generation is slow); {@link #shared()} and {@link #unrelated()} are
 * cached for the whole test run.
 */
public final class TestPki {

    public enum KeyType { EC_P256, RSA_2048, RSA_3072 }

    /** A participant: key, certificate, and the names it was issued with. */
    public record Identity(String id, ParticipantRole role, PrivateKey key, X509Certificate certificate) {

        /** Writes {@code <name>.key} (PKCS#8) and {@code <name>.crt} into {@code dir}. */
        public void writePem(Path dir, String name) {
            TestPki.writePem(dir.resolve(name + ".key"), pkcs8Pem(key));
            TestPki.writePem(dir.resolve(name + ".crt"), certificate);
        }
    }

    public static final String ORGANIZATION = "Referral Bus SAMPLE ONLY";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration DAY = Duration.ofDays(1);
    private static final TestPki SHARED = new TestPki("Referral Bus Test CA", null);
    private static final TestPki UNRELATED = new TestPki("Unrelated Test CA", null);
    private static final TestPki SAMPLE = new TestPki(SampleKeys.ca(),
            org.referralbus.envelope.PemFiles.readPrivateKey(SampleKeys.ROOT.resolve("ca.key")));

    private final String organization;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final List<X509Certificate> chain;
    private final Map<String, Identity> cache = new ConcurrentHashMap<>();

    private TestPki(String caName, TestPki parent) {
        this(ORGANIZATION, caName, parent);
    }

    private TestPki(String organization, String caName, TestPki parent) {
        this.organization = organization;
        this.caKeys = generate(KeyType.EC_P256);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.CN, caName).build();
        Instant now = Instant.now();
        if (parent == null) {
            this.caCertificate = sign(subject, caKeys.getPublic(), subject, caKeys, null, now.minus(DAY),
                    now.plus(DAY.multipliedBy(3650)), true, List.of(), null);
            this.chain = List.of();
        } else {
            this.caCertificate = sign(parent.caName(), caKeys.getPublic(), subject, parent.caKeys,
                    parent.caCertificate, now.minus(DAY), now.plus(DAY.multipliedBy(3650)), true, List.of(), null);
            this.chain = List.of(caCertificate);
        }
    }

    private TestPki(X509Certificate caCertificate, PrivateKey caKey) {
        this.organization = ORGANIZATION;
        try {
            // As a JDK key, so that the JDK's signature provider (used for every other TestPki) accepts it.
            PrivateKey jdkKey = java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(caKey.getEncoded()));
            this.caKeys = new KeyPair(caCertificate.getPublicKey(), jdkKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.caCertificate = caCertificate;
        this.chain = List.of();
    }

    /** The committed sample CA ({@code keys-sample/ca.key}): certificates it issues are trusted by a default bus. */
    public static TestPki sample() {
        return SAMPLE;
    }

    /** A CRL of this CA listing {@code revoked}, valid from an hour ago for a day. */
    public X509CRL crl(List<X509Certificate> revoked) {
        return crl(caName(), revoked);
    }

    /**
     * A CRL of this CA revoking {@code revoked} at {@code revokedAt}, with an invalidity date (when the key was
     * compromised, by the CA's word) if {@code invalidSince} is not null.
     */
    public X509CRL crlRevoking(X509Certificate revoked, Instant revokedAt, Instant invalidSince) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(caName(), Date.from(now.minusSeconds(3600)))
                    .setNextUpdate(Date.from(now.plus(DAY)));
            org.bouncycastle.asn1.x509.ExtensionsGenerator entry = new org.bouncycastle.asn1.x509.ExtensionsGenerator();
            entry.addExtension(Extension.reasonCode, false, CRLReason.lookup(CRLReason.keyCompromise));
            if (invalidSince != null) {
                entry.addExtension(Extension.invalidityDate, false,
                        new org.bouncycastle.asn1.ASN1GeneralizedTime(Date.from(invalidSince)));
            }
            builder.addCRLEntry(revoked.getSerialNumber(), Date.from(revokedAt), entry.generate());
            return new JcaX509CRLConverter().getCRL(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An empty CRL that names {@code victim} as its issuer but is signed with this CA's key: a forgery. */
    public X509CRL forgedCrlInNameOf(TestPki victim) {
        return crl(victim.caName(), List.of());
    }

    private X509CRL crl(X500Name issuer, List<X509Certificate> revoked) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer, Date.from(now.minusSeconds(3600)))
                    .setNextUpdate(Date.from(now.plus(DAY)));
            for (X509Certificate certificate : revoked) {
                builder.addCRLEntry(certificate.getSerialNumber(), Date.from(now.minusSeconds(60)), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh PKI whose names carry no SAMPLE ONLY marker, as a production CA's would (for the prod profile). */
    public static TestPki production(String organization) {
        return new TestPki(organization, organization + " CA", null);
    }

    public static TestPki shared() {
        return SHARED;
    }

    /** A second CA the bus does not trust. */
    public static TestPki unrelated() {
        return UNRELATED;
    }

    /** An intermediate CA issued by this one; its participants need {@link #chain()} to validate. */
    public TestPki subordinate(String caName) {
        return new TestPki(caName, this);
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** Intermediate CA certificates between this PKI's participants and the root; empty for a root. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** A participant valid from yesterday for a year; cached. */
    public Identity identity(String id, ParticipantRole role, KeyType type) {
        return cache.computeIfAbsent(id + "/" + role + "/" + type, key -> {
            Instant now = Instant.now();
            return issue(id, role, type, now.minus(DAY), now.plus(DAY.multipliedBy(365)));
        });
    }

    public Identity issue(String id, ParticipantRole role, KeyType type, Instant notBefore, Instant notAfter) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.OU, role.name().toLowerCase()).addRDN(BCStyle.CN, id).build();
        KeyPair keys = generate(type);
        X509Certificate certificate = sign(caName(), keys.getPublic(), subject, caKeys, caCertificate, notBefore,
                notAfter, false, List.of("urn:referral-bus:participant:" + id), type);
        return new Identity(id, role, keys.getPrivate(), certificate);
    }

    /**
     * A new certificate for an existing key pair, as a participant renewing its certificate on the same key gets
     * (e.g. {@code SampleKeys.privateKey(...)} with the public key of the sample certificate).
     */
    public Identity renew(String id, ParticipantRole role, PublicKey publicKey, PrivateKey privateKey, Instant notBefore,
                          Instant notAfter) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.OU, role.name().toLowerCase()).addRDN(BCStyle.CN, id).build();
        KeyType type = publicKey.getAlgorithm().equals("EC") ? KeyType.EC_P256 : KeyType.RSA_3072;
        X509Certificate certificate = sign(caName(), publicKey, subject, caKeys, caCertificate, notBefore, notAfter,
                false, List.of("urn:referral-bus:participant:" + id), type);
        return new Identity(id, role, privateKey, certificate);
    }

    /**
     * An HTTPS server certificate (EC) as {@code keys init} issues one: {@code CN=<first host>}, subjectAltName DNS
     * names and IP addresses {@code hosts}, extendedKeyUsage serverAuth; id and role are left null.
     */
    public Identity server(List<String> hosts, Instant notBefore, Instant notAfter) {
        KeyPair keys = generate(KeyType.EC_P256);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.CN, hosts.get(0)).build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            GeneralNames names = new GeneralNames(hosts.stream().map(host -> host.matches("[0-9.]+|.*:.*")
                    ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host))
                    .toArray(GeneralName[]::new));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caName(), new BigInteger(96, RANDOM).setBit(95),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCertificate))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, names);
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
            return new Identity(null, null, keys.getPrivate(), certificate);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A participant with any subject and SAN URIs (EC), for identity tests; id and role are left null. */
    public Identity custom(X500Name subject, List<String> sanUris) {
        KeyPair keys = generate(KeyType.EC_P256);
        Instant now = Instant.now();
        return new Identity(null, null, keys.getPrivate(), sign(caName(), keys.getPublic(), subject, caKeys,
                caCertificate, now.minus(DAY), now.plus(DAY), false, sanUris, KeyType.EC_P256));
    }

    public static X500Name participantName(String organizationalUnit, String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, ORGANIZATION)
                .addRDN(BCStyle.OU, organizationalUnit).addRDN(BCStyle.CN, commonName).build();
    }

    /** Writes this CA's own certificate as PEM. */
    public Path writeCaPem(Path file) {
        writePem(file, caCertificate);
        return file;
    }

    public static KeyPair generate(KeyType type) {
        try {
            KeyPairGenerator generator;
            if (type == KeyType.EC_P256) {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            } else {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(type == KeyType.RSA_2048 ? 2048 : 3072, RANDOM);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String toPem(Object object) {
        try (StringWriter out = new StringWriter(); JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
            writer.flush();
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public static String pkcs8Pem(PrivateKey key) {
        try {
            return toPem(new JcaPKCS8Generator(key, null).generate());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code object} (a PEM string, or anything {@link JcaPEMWriter} takes) to {@code file}. */
    public static void writePem(Path file, Object object) {
        try {
            Files.writeString(file, object instanceof String pem ? pem : toPem(object), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private X500Name caName() {
        return X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
    }

    private static X509Certificate sign(X500Name issuer, PublicKey publicKey, X500Name subject, KeyPair issuerKeys,
                                        X509Certificate issuerCertificate, Instant notBefore, Instant notAfter,
                                        boolean ca, List<String> sanUris, KeyType leafType) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(96, RANDOM).setBit(95), Date.from(notBefore), Date.from(notAfter), subject,
                    publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, issuerCertificate == null
                            ? extensions.createAuthorityKeyIdentifier(publicKey)
                            : extensions.createAuthorityKeyIdentifier(issuerCertificate));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                int usage = KeyUsage.digitalSignature
                        | (leafType == KeyType.EC_P256 ? KeyUsage.keyAgreement : KeyUsage.keyEncipherment);
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                                KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_emailProtection}));
                if (!sanUris.isEmpty()) {
                    List<GeneralName> names = new ArrayList<>();
                    sanUris.forEach(uri -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)));
                }
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.referralbus.participants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.support.TestPki;

class ParticipantIdentityTest {

    private static final TestPki PKI = TestPki.shared();

    private static X509Certificate certificate(String ou, String cn, String... sanUris) {
        return PKI.custom(TestPki.participantName(ou, cn), List.of(sanUris)).certificate();
    }

    private static void assertForbidden(X509Certificate certificate) {
        assertThatThrownBy(() -> ParticipantIdentity.of(certificate))
                .isInstanceOfSatisfying(ReferralBusException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void participantUriIsPreferredOverCommonName() {
        X509Certificate certificate = certificate("provider", "Shelter East (display name)",
                "https://shelter.example", "urn:referral-bus:participant:shelter-east");

        assertThat(ParticipantIdentity.of(certificate))
                .isEqualTo(new ParticipantIdentity("shelter-east", ParticipantRole.PROVIDER));
    }

    @Test
    void commonNameIsTheIdWithoutAParticipantUri() {
        assertThat(ParticipantIdentity.of(certificate("agency", "agency-police", "https://police.example")))
                .isEqualTo(new ParticipantIdentity("agency-police", ParticipantRole.AGENCY));
    }

    @Test
    void everyRoleIsReadFromTheOrganizationalUnit() {
        assertThat(List.of("agency", "provider", "auditor", "bus"))
                .extracting(ou -> ParticipantIdentity.of(certificate(ou, "p-1")).role())
                .containsExactly(ParticipantRole.AGENCY, ParticipantRole.PROVIDER, ParticipantRole.AUDITOR,
                        ParticipantRole.BUS);
    }

    @Test
    void idsOutsideTheAllowedAlphabetAreRejected() {
        assertForbidden(certificate("agency", "Agency Police"));
        assertForbidden(certificate("agency", "agency-police", "urn:referral-bus:participant:-leading-dash"));
        assertForbidden(certificate("agency", "a"));
        assertForbidden(certificate("agency", "x".repeat(64)));
    }

    @Test
    void unknownOrMissingRoleIsForbidden() {
        assertForbidden(certificate("Agency", "agency-police"));
        assertForbidden(PKI.custom(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "agency-police").build(),
                List.of()).certificate());
    }

    @Test
    void twoParticipantUrisAreForbidden() {
        assertForbidden(certificate("agency", "agency-police", "urn:referral-bus:participant:agency-police",
                "urn:referral-bus:participant:agency-customs"));
    }

    /**
     * Issue 10, finding 10: the URN scheme and namespace id are case-insensitive (RFC 8141), so
     * {@code URN:referral-bus:participant:x} names participant x; it used to be ignored and the CN taken instead.
     */
    @Test
    void participantUriIsRecognisedWhateverTheCaseOfItsSchemeAndNamespace() {
        for (String uri : List.of("URN:referral-bus:participant:shelter-east", "urn:REFERRAL-BUS:participant:shelter-east",
                "Urn:Referral-Bus:Participant:shelter-east")) {
            assertThat(ParticipantIdentity.of(certificate("provider", "agency-police", uri))).as(uri)
                    .isEqualTo(new ParticipantIdentity("shelter-east", ParticipantRole.PROVIDER));
        }
    }

    @Test
    void participantUrisDifferingOnlyInTheCaseOfTheirPrefixStillNameTwoParticipants() {
        assertForbidden(certificate("agency", "agency-police", "urn:referral-bus:participant:agency-police",
                "URN:REFERRAL-BUS:PARTICIPANT:agency-customs"));
    }

    @Test
    void theIdItselfStaysLowerCase() {
        assertForbidden(certificate("agency", "agency-police", "URN:REFERRAL-BUS:PARTICIPANT:AGENCY-POLICE"));
    }
}

package org.referralbus.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** One form for a referral id (lower case), and a content hash that does not see the case of the header's UUIDs. */
class ReferralIdCaseTest {

    private static final String ID = "5e0c8f7a-1b2c-4d3e-8f90-a1b2c3d4e5f6";
    private static final String EARLIER = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    @Test
    void theKeyOfAnIdInAnyCaseIsItsLowerCase() {
        assertThat(Uuids.key(ID.toUpperCase(Locale.ROOT))).isEqualTo(ID);
        assertThat(Uuids.key("5E0c8F7a-1B2c-4D3e-8F90-A1b2C3d4E5f6")).isEqualTo(ID);
        assertThat(Uuids.key(ID)).isEqualTo(ID);
        assertThat(Uuids.key(null)).isNull();
    }

    @Test
    void xmlWithLowerCaseIdsHashesAsItsBytes() {
        byte[] xml = referral(ID, EARLIER, "Notes").getBytes(StandardCharsets.UTF_8);
        assertThat(ReferralContentSha256.of(xml)).as("hashes stored before, and delivery ids, stay as they were")
                .isEqualTo(Sha256.hex(xml));
    }

    @Test
    void theSameReferralWithItsHeaderIdsInUpperCaseHashesTheSame() {
        String lower = ReferralContentSha256.of(bytes(referral(ID, EARLIER, "Нигина")));
        assertThat(ReferralContentSha256.of(bytes(referral(ID.toUpperCase(Locale.ROOT), EARLIER, "Нигина")))).isEqualTo(lower);
        assertThat(ReferralContentSha256.of(bytes(referral(ID, EARLIER.toUpperCase(Locale.ROOT), "Нигина")))).isEqualTo(lower);
        assertThat(ReferralContentSha256.of(bytes(referral(ID.toUpperCase(Locale.ROOT), EARLIER.toUpperCase(Locale.ROOT), "Нигина"))))
                .isEqualTo(lower);
    }

    @Test
    void anIdElementWithAPrefixOrANamespaceDeclarationIsFoundToo() {
        String prefixed = referral(ID, EARLIER, "Nigina")
                .replace("<referralId>", "<r:referralId xmlns:r=\"urn:referral-bus:referral:1\">")
                .replace("</referralId>", "</r:referralId>");
        assertThat(ReferralContentSha256.of(bytes(prefixed.replace(ID, ID.toUpperCase(Locale.ROOT)))))
                .isEqualTo(ReferralContentSha256.of(bytes(prefixed)));
    }

    @Test
    void otherContentStillDiffers() {
        String lower = ReferralContentSha256.of(bytes(referral(ID, EARLIER, "Nigina")));
        assertThat(ReferralContentSha256.of(bytes(referral(ID, EARLIER, "NIGINA")))).as("names keep their case").isNotEqualTo(lower);
        assertThat(ReferralContentSha256.of(bytes(referral(ID, null, "Nigina")))).isNotEqualTo(lower);
        assertThat(ReferralContentSha256.of(bytes(referral(ID, EARLIER, "Nigina " + ID.toUpperCase(Locale.ROOT)))))
                .as("a UUID outside the header's id elements is text like any other")
                .isNotEqualTo(ReferralContentSha256.of(bytes(referral(ID, EARLIER, "Nigina " + ID))));
    }

    private static byte[] bytes(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static String referral(String id, String supersedes, String given) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<referral xmlns=\"urn:referral-bus:referral:1\">\n"
                + "  <header>\n    <referralId>" + id + "</referralId>\n"
                + (supersedes == null ? "" : "    <supersedes>" + supersedes + "</supersedes>\n")
                + "  </header>\n  <person><givenName>" + given + "</givenName></person>\n</referral>\n";
    }
}

package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TotpTest {

    /** RFC 6238 appendix B, SHA-1 secret "12345678901234567890"; the RFC lists 8 digits, we keep the last 6. */
    @Test
    void codesMatchTheRfc6238TestVectors() {
        String secret = Totp.base32("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
        assertThat(Totp.code(secret, Totp.step(59))).isEqualTo("287082");
        assertThat(Totp.code(secret, Totp.step(1111111109))).isEqualTo("081804");
        assertThat(Totp.code(secret, Totp.step(2000000000))).isEqualTo("279037");
    }

    @Test
    void base32RoundTrips() {
        byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff, 42, 7, 9, 100, -100};
        assertThat(Totp.decodeBase32(Totp.base32(bytes))).isEqualTo(bytes);
        assertThat(Totp.newSecret()).matches("[A-Z2-7]{32}");
    }
}

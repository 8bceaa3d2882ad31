package org.referralbus.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;


/** Lowercase hex SHA-256, the form the bus uses for every hash it stores or audits. */
public final class Sha256 {

    private Sha256() {
    }

    public static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "SHA-256 is mandatory in every JRE", e);
        }
    }
}

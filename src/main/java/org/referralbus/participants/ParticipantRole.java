package org.referralbus.participants;

import java.util.Locale;
import java.util.Optional;

/** What a participant may do; carried in the subject OU of its certificate (lower case). */
public enum ParticipantRole {
    AGENCY,
    PROVIDER,
    AUDITOR,
    /** Operators of the bus: metrics and health details, never referral content. */
    ADMIN,
    BUS;

    /** The role whose lower-case name is exactly {@code organizationalUnit}, if any. */
    static Optional<ParticipantRole> fromOrganizationalUnit(String organizationalUnit) {
        for (ParticipantRole role : values()) {
            if (role.name().toLowerCase(Locale.ROOT).equals(organizationalUnit)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}

package org.referralbus.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * What an auditor asked for. {@link #describe} is the non-personal form written to the trail as the detail of
 * AUDITOR_QUERIED: the filter holds ids, types and times only, never referral content.
 */
record AuditFilter(String referralId, String participant, String type, OffsetDateTime from, OffsetDateTime to) {

    /**
     * Referral ids are stored as the intake lowered them, and types are the trail's names: a capital letter finds the
     * same rows. A type the trail does not have, or a period ending before it starts, is a typo, refused rather than
     * answered with nothing (which reads as "nothing happened").
     */
    AuditFilter {
        referralId = AuditQueries.asStored(referralId);
        if (type != null) {
            String named = type.trim().toUpperCase(Locale.ROOT);
            type = named;
            if (Arrays.stream(AuditEventType.values()).noneMatch(known -> known.name().equals(named))) {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "type is one of " + Arrays.toString(AuditEventType.values()));
            }
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "from must not be after to");
        }
    }

    /** How the participant is matched: as actor or counterpart, or by one of the two disjoint halves of that. */
    enum ParticipantAs { ACTOR_OR_COUNTERPART, ACTOR, COUNTERPART_NOT_ACTOR }

    String where(List<Object> arguments) {
        return where(arguments, ParticipantAs.ACTOR_OR_COUNTERPART);
    }

    /**
     * The conditions, with the participant's matched as {@code as} says. The two halves each use one index (H2 answers
     * the {@code OR} by reading the whole trail) and never both match a row, so their counts add up.
     */
    String where(List<Object> arguments, ParticipantAs as) {
        String conditions = conditions(arguments, as);
        return conditions.isEmpty() ? "" : " WHERE " + conditions;
    }

    /** {@link #where} without the {@code WHERE}: the conditions joined with {@code AND}, or empty when there are none. */
    String conditions(List<Object> arguments, ParticipantAs as) {
        List<String> clauses = new ArrayList<>();
        if (referralId != null) {
            clauses.add("referral_id = ?");
            arguments.add(referralId);
        }
        if (participant != null) {
            switch (as) {
                case ACTOR_OR_COUNTERPART -> clauses.add("(actor = ? OR counterpart = ?)");
                case ACTOR -> clauses.add("actor = ?");
                case COUNTERPART_NOT_ACTOR -> clauses.add("counterpart = ? AND (actor IS NULL OR actor <> ?)");
            }
            arguments.add(participant);
            if (as != ParticipantAs.ACTOR) {
                arguments.add(participant);
            }
        }
        if (type != null) {
            clauses.add("event_type = ?");
            arguments.add(type);
        }
        if (from != null) {
            clauses.add("at >= ?");
            arguments.add(from);
        }
        if (to != null) {
            clauses.add("at < ?");
            arguments.add(to);
        }
        return String.join(" AND ", clauses);
    }

    /** @param recordable what of a typed id the trail may keep ({@link AuditorQueryLog#recordable}) */
    String describe(UnaryOperator<String> recordable) {
        StringBuilder out = new StringBuilder();
        append(out, "referralId", recordable.apply(referralId));
        append(out, "participant", recordable.apply(participant));
        append(out, "type", type == null || Arrays.stream(AuditEventType.values()).anyMatch(t -> t.name().equals(type))
                ? type : "<" + type.length() + " characters>");
        append(out, "from", from == null ? null : from.toString());
        append(out, "to", to == null ? null : to.toString());
        return out.toString();
    }

    private static void append(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append(out.isEmpty() ? "" : ";").append(name).append('=').append(value);
        }
    }
}

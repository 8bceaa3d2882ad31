package org.referralbus.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What an auditor asked for. {@link #describe()} is the non-personal form written to the trail as the detail of
 * AUDITOR_QUERIED: the filter holds ids, types and times only, never referral content.
 */
record AuditFilter(String referralId, String participant, String type, OffsetDateTime from, OffsetDateTime to) {

    String where(List<Object> arguments) {
        List<String> clauses = new ArrayList<>();
        if (referralId != null) {
            clauses.add("referral_id = ?");
            arguments.add(referralId);
        }
        if (participant != null) {
            clauses.add("(actor = ? OR counterpart = ?)");
            arguments.add(participant);
            arguments.add(participant);
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
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    String describe() {
        StringBuilder out = new StringBuilder();
        append(out, "referralId", referralId);
        append(out, "participant", participant);
        append(out, "type", type);
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

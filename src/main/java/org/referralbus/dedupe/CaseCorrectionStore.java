package org.referralbus.dedupe;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The case_correction table: each merge and split the coordinator made, ids only. A split is also the coordinator's
 * word that the two cases hold different people, which {@link CaseLinking} reads before it links.
 */
@Component
class CaseCorrectionStore {

    private final JdbcTemplate jdbc;

    CaseCorrectionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void record(CaseCorrections.Correction correction) {
        jdbc.update("INSERT INTO case_correction (kind, case_id, other_case_id, sender, referral_id, coordinator, corrected_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", correction.kind().name(), correction.caseId(), correction.otherCaseId(),
                correction.sender(), correction.referralId(), correction.coordinator(), correction.at());
    }

    /** Corrections naming the case on either side, oldest first. */
    List<CaseCorrections.Correction> of(String caseId) {
        return jdbc.query("SELECT kind, case_id, other_case_id, sender, referral_id, coordinator, corrected_at FROM case_correction"
                        + " WHERE case_id = ? OR other_case_id = ? ORDER BY id",
                (rs, i) -> new CaseCorrections.Correction(CaseCorrections.Kind.valueOf(rs.getString(1)), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getObject(7, OffsetDateTime.class)), caseId, caseId);
    }

    /** Of {@code others}, the cases a split separated from {@code caseId} (either way round). */
    List<String> splitFrom(String caseId, Collection<String> others) {
        if (others.isEmpty()) {
            return List.of();
        }
        String in = String.join(",", Collections.nCopies(others.size(), "?"));
        List<Object> arguments = new java.util.ArrayList<>();
        arguments.add(caseId);
        arguments.addAll(others);
        arguments.add(caseId);
        arguments.addAll(others);
        return jdbc.queryForList("SELECT other_case_id FROM case_correction WHERE kind = 'SPLIT' AND case_id = ? AND other_case_id IN (" + in + ")"
                + " UNION SELECT case_id FROM case_correction WHERE kind = 'SPLIT' AND other_case_id = ? AND case_id IN (" + in + ")",
                String.class, arguments.toArray());
    }
}

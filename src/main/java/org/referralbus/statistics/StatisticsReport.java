package org.referralbus.statistics;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The answer to a statistics query: the cells of the crossed dimensions, then every margin (each smaller set of the
 * same dimensions) and the total. Each cell is a JSON object of its dimension values plus {@code count} (referrals),
 * {@code people} (distinct cases) and, where k or more of them were accepted, {@code medianHoursToAcceptance}; a
 * suppressed cell has {@code "suppressed": true} and no number at all.
 */
public record StatisticsReport(LocalDate from, LocalDate to, List<String> by, String periods, String ageBands, int k,
                               String grid, List<Map<String, Object>> cells, List<Map<String, Object>> margins,
                               Map<String, Object> total) {

    static final String ALL = "*";

    /** CSV (RFC 4180): one line per cell, then the margins and the total, {@code *} where a dimension is summed over. */
    public String csv() {
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", by)).append(by.isEmpty() ? "" : ",")
                .append("count,people,suppressed,medianHoursToAcceptance\r\n");
        for (List<Map<String, Object>> rows : List.of(cells, margins, List.of(total))) {
            for (Map<String, Object> row : rows) {
                for (String dimension : by) {
                    out.append(field(row.getOrDefault(dimension, ALL))).append(',');
                }
                out.append(field(row.get("count"))).append(',').append(field(row.get("people"))).append(',')
                        .append(Boolean.TRUE.equals(row.get("suppressed"))).append(',')
                        .append(field(row.get("medianHoursToAcceptance"))).append("\r\n");
            }
        }
        return out.toString();
    }

    private static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        return text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')
                ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /** Compact description for the audit trail: the query, never a count. */
    String describe() {
        return "statistics:from=" + from + ";to=" + to + ";by=" + by.stream().collect(Collectors.joining(","))
                + ";periods=" + periods + ";ageBands=" + ageBands;
    }

    /** The same description for a query that was refused before it had an answer. */
    static String describe(StatisticsQuery query) {
        return "statistics:from=" + query.from() + ";to=" + query.to() + ";by="
                + query.by().stream().map(Dimension::parameter).collect(Collectors.joining(","))
                + ";periods=" + query.periods().parameter() + ";ageBands=" + (query.minorOrAdult() ? "minor-adult" : "five-year");
    }
}

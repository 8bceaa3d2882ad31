package org.referralbus.statistics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.web.util.HtmlUtils;

/**
 * The console's statistics page, drawn on the server: a query form, one horizontal SVG bar per cell (a suppressed cell
 * is a hatched grey bar with no number), and the same cells as a table. No script and nothing from elsewhere, so it
 * fits the console's Content-Security-Policy.
 */
final class StatisticsPage {

    private static final int WIDTH = 640;
    private static final int BAR = 18;
    private static final int LABEL = 220;

    private StatisticsPage() {
    }

    static String render(String auditor, Map<String, String> asked, StatisticsReport report, String error) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Referral Bus · statistics</title><link rel=\"stylesheet\" href=\"/audit/console.css\">"
                + "<link rel=\"icon\" type=\"image/svg+xml\" href=\"/audit/favicon.svg\"></head><body>")
                .append("<header class=\"bar\"><h1>Referral Bus <span class=\"muted\">statistics</span></h1>")
                .append("<div class=\"bar-right\"><a class=\"button\" href=\"/audit\">Console</a><span class=\"muted\">")
                .append(escape(auditor)).append("</span></div></header><main class=\"grid\">");
        html.append("<section class=\"card wide\"><h2>Query</h2><form method=\"get\" action=\"/audit/statistics\" class=\"row\">");
        for (String field : List.of("from", "to", "by", "periods", "ageBands")) {
            html.append("<label>").append(field).append(" <input name=\"").append(field).append("\" value=\"")
                    .append(escape(asked.getOrDefault(field, ""))).append("\"></label>");
        }
        html.append("<button type=\"submit\">Count</button></form><p class=\"muted\">Dimensions: ")
                .append(escape(String.join(", ", Dimension.parameters())))
                .append(". Ranges fall on the statistics grid and end at a period that is over; cells of fewer than k people are suppressed, and so are the cells that would give them away.</p></section>");
        if (error != null) {
            html.append("<section class=\"card wide\"><p id=\"statistics-error\" class=\"badge broken\">").append(escape(error))
                    .append("</p></section>");
        }
        if (report != null) {
            html.append("<section class=\"card wide\"><h2>").append(escape(title(report))).append(" <span class=\"muted\">k = ")
                    .append(report.k()).append(", total ").append(number(report.total())).append("</span></h2>")
                    .append(chart(report.cells().isEmpty() ? List.of(report.total()) : report.cells(), report.by()))
                    .append(table(report)).append("</section>");
        }
        return html.append("</main></body></html>").toString();
    }

    private static String chart(List<Map<String, Object>> cells, List<String> by) {
        long max = Math.max(1, cells.stream().filter(c -> c.get("count") != null)
                .mapToLong(c -> ((Number) c.get("count")).longValue()).max().orElse(1));
        int height = cells.size() * (BAR + 6) + 6;
        StringBuilder svg = new StringBuilder("<svg id=\"statistics-chart\" class=\"chart\" role=\"img\" width=\"")
                .append(WIDTH).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\"><defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" ")
                .append("patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#eef1f4\"/>")
                .append("<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b8c2cc\" stroke-width=\"3\"/></pattern></defs>");
        int y = 6;
        for (Map<String, Object> cell : cells) {
            String label = by.isEmpty() ? "total" : by.stream().map(d -> String.valueOf(cell.getOrDefault(d, "*")))
                    .collect(Collectors.joining(" · "));
            boolean suppressed = Boolean.TRUE.equals(cell.get("suppressed"));
            svg.append("<text x=\"0\" y=\"").append(y + 13).append("\" font-size=\"12\">").append(escape(label)).append("</text>");
            if (suppressed) {
                svg.append("<rect class=\"suppressed\" x=\"").append(LABEL).append("\" y=\"").append(y).append("\" width=\"")
                        .append(WIDTH - LABEL - 60).append("\" height=\"").append(BAR).append("\" fill=\"url(#hatch)\"/>")
                        .append("<text x=\"").append(LABEL + 6).append("\" y=\"").append(y + 13)
                        .append("\" font-size=\"11\" fill=\"#6b7785\">suppressed</text>");
            } else {
                long count = ((Number) cell.get("count")).longValue();
                long width = Math.max(1, count * (WIDTH - LABEL - 60) / max);
                svg.append("<rect class=\"count\" x=\"").append(LABEL).append("\" y=\"").append(y).append("\" width=\"")
                        .append(width).append("\" height=\"").append(BAR).append("\" fill=\"#2f5d8a\"/>")
                        .append("<text x=\"").append(LABEL + width + 6).append("\" y=\"").append(y + 13)
                        .append("\" font-size=\"12\">").append(count).append("</text>");
            }
            y += BAR + 6;
        }
        return svg.append("</svg>").toString();
    }

    private static String table(StatisticsReport report) {
        StringBuilder html = new StringBuilder("<table id=\"statistics-table\"><thead><tr>");
        report.by().forEach(d -> html.append("<th>").append(escape(d)).append("</th>"));
        html.append("<th>referrals</th><th>people</th><th>median hours to acceptance</th></tr></thead><tbody>");
        List<Map<String, Object>> rows = new java.util.ArrayList<>(report.cells());
        rows.addAll(report.margins());
        rows.add(report.total());
        for (Map<String, Object> row : rows) {
            html.append("<tr>");
            report.by().forEach(d -> html.append("<td>").append(escape(String.valueOf(row.getOrDefault(d, "all")))).append("</td>"));
            boolean suppressed = Boolean.TRUE.equals(row.get("suppressed"));
            html.append("<td>").append(suppressed ? "suppressed" : row.get("count")).append("</td><td>")
                    .append(suppressed ? "" : row.get("people")).append("</td><td>")
                    .append(row.get("medianHoursToAcceptance") == null ? "" : row.get("medianHoursToAcceptance")).append("</td></tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    private static String title(StatisticsReport report) {
        return "Referrals " + report.from() + " to " + report.to() + (report.by().isEmpty() ? "" : " by "
                + String.join(", ", report.by())) + (report.by().contains("period") ? " (" + report.periods().toLowerCase(Locale.ROOT) + ")" : "");
    }

    private static String number(Map<String, Object> total) {
        return Boolean.TRUE.equals(total.get("suppressed")) ? "suppressed" : String.valueOf(total.get("count"));
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text);
    }
}

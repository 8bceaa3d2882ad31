package org.referralbus.statistics;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.referralbus.core.ReferralBusException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /audit/statistics}: the statistics as a console page, behind the console's own sign-in (the console chain
 * guards {@code /audit/**}). By default the last year by period, in quarters. A refused query is shown on the page.
 */
@RestController
class StatisticsConsoleController {

    private final Statistics statistics;

    StatisticsConsoleController(Statistics statistics) {
        this.statistics = statistics;
    }

    @GetMapping(value = "/audit/statistics", produces = MediaType.TEXT_HTML_VALUE)
    String page(Principal auditor, @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                @RequestParam(defaultValue = "period") String by, @RequestParam(defaultValue = "quarter") String periods,
                @RequestParam(required = false) String ageBands) {
        Map<String, String> asked = new LinkedHashMap<>();
        asked.put("from", from == null ? "" : from);
        asked.put("to", to == null ? "" : to);
        asked.put("by", by);
        asked.put("periods", periods);
        asked.put("ageBands", ageBands == null ? "" : ageBands);
        try {
            StatisticsReport report = statistics.answer(from, to, by, periods, ageBands, auditor.getName());
            return StatisticsPage.render(auditor.getName(), asked, report, null);
        } catch (ReferralBusException refused) {
            return StatisticsPage.render(auditor.getName(), asked, null, refused.getMessage());
        }
    }
}

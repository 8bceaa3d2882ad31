package org.referralbus.statistics;

import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.routing.RegistryProperties;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/statistics}: k-anonymous counts for auditors and the national coordinator (a provider, so the
 * security chain lets providers in and this controller keeps only the one that is the coordinator). JSON, or CSV with
 * {@code Accept: text/csv}.
 */
@RestController
class StatisticsController {

    static final String CSV = "text/csv";

    private final Statistics statistics;
    private final RegistryProperties registry;

    StatisticsController(Statistics statistics, RegistryProperties registry) {
        this.statistics = statistics;
        this.registry = registry;
    }

    @GetMapping(value = "/api/v1/statistics", produces = MediaType.APPLICATION_JSON_VALUE)
    StatisticsReport json(Authentication caller, @RequestParam(required = false) String from,
                          @RequestParam(required = false) String to, @RequestParam(required = false) String by,
                          @RequestParam(required = false) String periods, @RequestParam(required = false) String ageBands) {
        admit(caller);
        return statistics.answer(from, to, by, periods, ageBands, caller.getName());
    }

    @GetMapping(value = "/api/v1/statistics", produces = CSV)
    String csv(Authentication caller, @RequestParam(required = false) String from,
               @RequestParam(required = false) String to, @RequestParam(required = false) String by,
               @RequestParam(required = false) String periods, @RequestParam(required = false) String ageBands) {
        return json(caller, from, to, by, periods, ageBands).csv();
    }

    private void admit(Authentication caller) {
        boolean auditor = caller.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_AUDITOR"));
        boolean coordinator = caller.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_PROVIDER"))
                && registry.coordinator().equals(caller.getName());
        if (!auditor && !coordinator) {
            throw new ReferralBusException(ErrorCode.FORBIDDEN, "Statistics are for auditors and the coordinator");
        }
    }
}

package org.referralbus.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The auditor console: two pages (sign-in and console) rendered from classpath templates with the CSRF token
 * filled in, one script and one stylesheet, and the JSON the script reads. Every data request is audited like an
 * API query, with the signed-in account as actor.
 */
@RestController
class ConsoleController {


    /** A century: longer than any referral waits, and far below what a Duration or a date can hold. */
    static final long MAX_STUCK_HOURS = 100L * 366 * 24;

    private final ConsoleOverview overview;
    private final AuditQueries queries;
    private final AuditChainVerifier verifier;
    private final AuditExport export;
    private final AuditorQueryLog queryLog;
    private final AuditProperties properties;

    ConsoleController(ConsoleOverview overview, AuditQueries queries, AuditChainVerifier verifier, AuditExport export,
                      AuditorQueryLog queryLog, AuditProperties properties) {
        this.overview = overview;
        this.queries = queries;
        this.verifier = verifier;
        this.export = export;
        this.queryLog = queryLog;
        this.properties = properties;
    }

    @GetMapping(value = "/audit/login", produces = MediaType.TEXT_HTML_VALUE)
    String login(CsrfToken csrf, @RequestParam(required = false) String error,
                 @RequestParam(required = false) String throttled) {
        String message = throttled != null ? "Too many failed sign-ins. Wait a few minutes, then try again."
                : error != null ? "Sign-in failed. Check name, password and code." : "";
        return page("login.html", csrf).replace("{{error}}", message);
    }

    @GetMapping(value = "/audit", produces = MediaType.TEXT_HTML_VALUE)
    String console(CsrfToken csrf, Principal auditor) {
        return page("console.html", csrf).replace("{{auditor}}", HtmlUtils.htmlEscape(auditor.getName()))
                .replace("{{stuckHours}}", Long.toString(properties.stuckAfter().toHours()));
    }

    @GetMapping(value = "/audit/console.js", produces = "text/javascript")
    String script() {
        return resource("console.js");
    }

    @GetMapping(value = "/audit/console.css", produces = "text/css")
    String style() {
        return resource("console.css");
    }

    /** Linked from every console page: without it a browser asks for /favicon.ico, outside the console, and is refused. */
    @GetMapping(value = "/audit/favicon.svg", produces = "image/svg+xml")
    String icon() {
        return resource("favicon.svg");
    }

    @GetMapping("/audit/api/referrals")
    List<ReferralProgress> search(Principal auditor, @RequestParam(defaultValue = "") String q) {
        // An auditor could type anything into the box, a name too: only ids reach the trail as typed.
        queryLog.queried(auditor.getName(), "console:search:q=" + queryLog.recordable(q), null);
        return overview.search(q);
    }

    @GetMapping("/audit/api/referrals/{referralId}")
    AuditorApiController.ReferralStory story(Principal auditor, @PathVariable String referralId) {
        String asStored = AuditQueries.asStored(referralId);
        queryLog.queried(auditor.getName(), "console:referral", asStored);
        return new AuditorApiController.ReferralStory(asStored, queries.story(asStored));
    }

    @GetMapping("/audit/api/stuck")
    List<ReferralProgress> stuck(Principal auditor, @RequestParam(required = false) Long hours) {
        if (hours != null && (hours < 0 || hours > MAX_STUCK_HOURS)) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "0 <= hours <= " + MAX_STUCK_HOURS);
        }
        Duration after = hours == null ? properties.stuckAfter() : Duration.ofHours(hours);
        queryLog.queried(auditor.getName(), "console:stuck:after=" + after, null);
        return overview.stuck(after);
    }

    @GetMapping("/audit/api/charts")
    Map<String, Object> charts(Principal auditor) {
        queryLog.queried(auditor.getName(), "console:charts", null);
        ConsoleOverview.Charts charts = overview.charts();
        return Map.of("perDay", charts.perDay(), "timeToOutcome", charts.timeToOutcome());
    }

    @GetMapping("/audit/api/verify")
    Map<String, Object> verify(Principal auditor) {
        ChainVerification result = verifier.verify();
        queryLog.queried(auditor.getName(), "console:verify", null);
        return Map.of("verification", result, "headSeq", queries.headSeq());
    }

    @GetMapping("/audit/export")
    ResponseEntity<byte[]> download(Principal auditor, @RequestParam(required = false) Long fromSeq,
                                    @RequestParam(required = false) Long toSeq) {
        return export.export(auditor.getName(), fromSeq, toSeq);
    }

    @GetMapping("/audit/export.sig")
    ResponseEntity<byte[]> downloadSignature(Principal auditor, @RequestParam(required = false) Long fromSeq,
                                             @RequestParam(required = false) Long toSeq) {
        return export.signature(auditor.getName(), fromSeq, toSeq);
    }

    private static String page(String name, CsrfToken csrf) {
        return resource(name).replace("{{csrfParameter}}", HtmlUtils.htmlEscape(csrf.getParameterName()))
                .replace("{{csrfToken}}", HtmlUtils.htmlEscape(csrf.getToken()));
    }

    private static String resource(String name) {
        try (InputStream in = new ClassPathResource("audit-console/" + name).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Console resource missing: " + name, e);
        }
    }
}

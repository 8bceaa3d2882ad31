package org.referralbus.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/**
 * One owner per table: every table the migrations create is read and written by one class in its feature, and
 * every other class asks that owner. Found by scanning the main sources for SQL that names a table after
 * {@code FROM}, {@code INTO}, {@code UPDATE} or {@code JOIN}. Controllers hold no database access at all.
 */
class TableOwnershipTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /** The owner of each table, by path below {@code org/referralbus}. */
    private static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("referral", "dedupe/ReferralLedger.java"),
            Map.entry("person_key", "dedupe/PersonKeyStore.java"),
            Map.entry("person_encoding", "dedupe/PersonEncodingStore.java"),
            Map.entry("person_block", "dedupe/PersonEncodingStore.java"),
            Map.entry("case_correction", "dedupe/CaseCorrectionStore.java"),
            Map.entry("case_opening_lock", "dedupe/CaseOpeningLock.java"),
            Map.entry("camel_messageprocessed", "dedupe/DedupePurge.java"),
            Map.entry("provider_capacity_lock", "routing/ProviderPlaces.java"),
            Map.entry("provider_place", "routing/ProviderPlaces.java"),
            Map.entry("delivery", "delivery/DeliveryLedger.java"),
            Map.entry("referral_need", "delivery/NeedLedger.java"),
            Map.entry("referral_need_history", "delivery/NeedLedger.java"),
            Map.entry("pending_reroute", "delivery/PendingReroutes.java"),
            Map.entry("audit_event", "audit/AuditRows.java"),
            Map.entry("audit_head", "audit/AuditRows.java"),
            Map.entry("audit_checkpoint", "audit/AuditRows.java"),
            Map.entry("audit_tree_head", "audit/AuditRows.java"),
            Map.entry("referral_progress", "audit/ReferralProgressStore.java"),
            Map.entry("referral_progress_position", "audit/ReferralProgressStore.java"),
            Map.entry("referral_progress_day", "audit/ReferralProgressStore.java"),
            Map.entry("auditor_account", "audit/AuditorAccounts.java"),
            Map.entry("referral_facts", "statistics/ReferralFacts.java"),
            Map.entry("facts_backfill", "statistics/BackfillMarker.java"),
            Map.entry("statistics_release", "statistics/StatisticsReleases.java"));

    /**
     * The one exception: {@code bench --prefill} copies the rows of every table of a stopped bus's scratch database
     * in SQL, by table name. It is a measuring tool, no feature reads or writes through it.
     */
    private static final Path BENCH_PREFILL = Path.of("org/referralbus/bench/Prefill.java");

    private static final Pattern CREATE = Pattern.compile("CREATE TABLE (\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SQL = Pattern.compile("\\b(?:FROM|INTO|UPDATE|JOIN)\\s+(\\w+)");

    @Test
    void everyTableOfTheMigrationsHasAnOwner() throws IOException {
        assertThat(OWNERS.keySet()).containsExactlyInAnyOrderElementsOf(tablesOfTheMigrations());
    }

    @Test
    void eachTableIsQueriedOnlyByItsOwner() throws IOException {
        Map<String, Set<String>> queriedBy = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).filter(f -> !f.endsWith(BENCH_PREFILL)).toList()) {
                Matcher sql = SQL.matcher(Files.readString(file));
                while (sql.find()) {
                    String table = sql.group(1).toLowerCase(java.util.Locale.ROOT);
                    if (OWNERS.containsKey(table)) {
                        queriedBy.computeIfAbsent(table, t -> new TreeSet<>())
                                .add(SOURCES.resolve("org/referralbus").relativize(file).toString().replace('\\', '/'));
                    }
                }
            }
        }
        assertThat(queriedBy).isNotEmpty();
        queriedBy.forEach((table, classes) -> assertThat(classes).as("classes issuing SQL on table %s", table)
                .containsExactly(OWNERS.get(table)));
    }

    @Test
    void controllersHoldNoDatabaseAccess() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.referralbus");
        noClasses().that().areAnnotatedWith(RestController.class).or().areAnnotatedWith(Controller.class)
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc..", "javax.sql..", "java.sql..")
                .check(main);
    }

    private static Set<String> tablesOfTheMigrations() throws IOException {
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.toList()) {
                Matcher create = CREATE.matcher(Files.readString(file));
                while (create.find()) {
                    tables.add(create.group(1).toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return tables;
    }
}

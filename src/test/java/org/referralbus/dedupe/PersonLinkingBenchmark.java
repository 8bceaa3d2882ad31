package org.referralbus.dedupe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.referralbus.schema.referral.Sex;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Linking time per referral with N people on file (issue 16: at most 5 ms with 100,000), measured on the real store:
 * Flyway-migrated H2 (in memory, as embedded; or a JDBC URL given), {@link PersonEncodingStore}, {@link PersonLinker}.
 * Loads N synthetic people (names from {@link PersonPairGenerator}'s lists, 65 % with a birth date), then times
 * {@link PersonLinker#find} (after {@link PersonLinker#encode}) for referrals of which half are people on file recorded again with a typing error and
 * half are new, after a warm-up. Prints percentiles of wall time and of the linking thread's CPU time (on a shared
 * machine the wall time mostly measures the queue for a core). A benchmark, not a test: run it by hand (docs/linking.md).
 *
 * <pre>java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" org.referralbus.dedupe.PersonLinkingBenchmark 100000 2000</pre>
 */
public final class PersonLinkingBenchmark {

    private PersonLinkingBenchmark() {
    }

    public static void main(String[] args) {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int referrals = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        String url = args.length > 2 ? args[2] : "jdbc:h2:mem:linking-bench;DB_CLOSE_DELAY=-1";
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        byte[] secret = "benchmark-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
        PersonEncoder encoder = new PersonEncoder(secret, PersonEncoder.Hardening.CHOSEN, new java.security.SecureRandom());
        PersonLinker linker = new PersonLinker(new PersonEncoders(encoder, null), new PersonEncodingStore(jdbc),
                new PersonKeyScheme(secret), new PersonKeyStore(jdbc, new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource)));

        Random random = new Random(100_000);
        List<PersonIdentity> onFile = new ArrayList<>();
        long loadStart = System.nanoTime();
        List<Object[]> encodingRows = new ArrayList<>();
        List<Object[]> blockRows = new ArrayList<>();
        long id = 0;
        OffsetDateTime now = OffsetDateTime.now();
        for (int i = 0; i < people; i++) {
            PersonIdentity person = person(random);
            onFile.add(person);
            String caseId = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
            for (PersonEncoding e : encoder.stored(person)) {
                id++;
                encodingRows.add(new Object[] {id, caseId, caseId, encoder.keyId(), bytes(e.names()),
                        e.patronymic() == null ? null : bytes(e.patronymic()), e.birthDateTag(), now});
                final long encodingId = id;
                Arrays.stream(e.blocks()).distinct().forEach(b -> blockRows.add(new Object[] {b, encodingId}));
            }
            if (encodingRows.size() >= 2_000 || i == people - 1) {
                jdbc.batchUpdate("INSERT INTO person_encoding (id, case_id, origin, key_id, names, patronymic, birth_date_tag, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", encodingRows);
                jdbc.batchUpdate("INSERT INTO person_block (block_key, encoding_id) VALUES (?, ?)", blockRows);
                encodingRows.clear();
                blockRows.clear();
            }
        }
        System.out.printf(Locale.ROOT, "Loaded %d people (%d encodings) in %.1f s%n", people, id, (System.nanoTime() - loadStart) / 1e9);

        int warmUp = Math.min(500, referrals);
        long[] nanos = new long[referrals];
        long[] cpu = new long[referrals];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int linked = 0;
        for (int r = -warmUp; r < referrals; r++) {
            PersonIdentity probe = random.nextBoolean() ? withTypo(onFile.get(random.nextInt(onFile.size())), random) : person(random);
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            boolean found = linker.find(linker.encode(probe)).isPresent();
            long took = System.nanoTime() - start;
            if (r >= 0) {
                nanos[r] = took;
                cpu[r] = threads.getCurrentThreadCpuTime() - cpuStart;
                linked += found ? 1 : 0;
            }
        }
        long encodeStart = System.nanoTime();
        for (int r = 0; r < referrals; r++) {
            encoder.probes(withTypo(onFile.get(random.nextInt(onFile.size())), random));
        }
        double encodeMs = ms((System.nanoTime() - encodeStart) / referrals);
        long lookupStart = System.nanoTime();
        PersonEncodingStore store = new PersonEncodingStore(jdbc);
        long candidates = 0;
        for (int r = 0; r < referrals; r++) {
            candidates += store.candidates(encoder.probes(withTypo(onFile.get(random.nextInt(onFile.size())), random)),
                    List.of(encoder.keyId())).size();
        }
        System.out.printf(Locale.ROOT, "Of which: encoding the probes %.2f ms; encoding and the block lookup %.2f ms, "
                + "%.1f candidates per referral (means)%n", encodeMs, ms((System.nanoTime() - lookupStart) / referrals),
                candidates / (double) referrals);
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "Linking with %d people on file, %d referrals (%d linked): median %.2f ms, p90 %.2f ms, "
                        + "p99 %.2f ms, max %.2f ms, mean %.2f ms%n", people, referrals, linked, ms(nanos[referrals / 2]),
                ms(nanos[referrals * 9 / 10]), ms(nanos[referrals * 99 / 100]), ms(nanos[referrals - 1]),
                ms(Arrays.stream(nanos).sum() / referrals));
        // CPU time of the linking thread: what linking costs when the machine is shared (wall time includes waiting).
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "CPU time of the linking thread: median %.2f ms, p90 %.2f ms, p99 %.2f ms, mean %.2f ms; "
                        + "machine load average at the end %.1f on %d cores%n", ms(cpu[referrals / 2]), ms(cpu[referrals * 9 / 10]),
                ms(cpu[referrals * 99 / 100]), ms(Arrays.stream(cpu).sum() / referrals),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    private static PersonIdentity person(Random random) {
        boolean female = random.nextInt(100) < 75;
        String[] givens = female ? PersonPairGenerator.FEMALE : PersonPairGenerator.MALE;
        String family = PersonPairGenerator.FAMILY[random.nextInt(PersonPairGenerator.FAMILY.length)];
        String father = PersonPairGenerator.FATHER[random.nextInt(PersonPairGenerator.FATHER.length)];
        LocalDate born = LocalDate.of(1970, 1, 1).plusDays(random.nextInt(365 * 38));
        boolean dated = random.nextInt(100) < 65;
        return new PersonIdentity(givens[random.nextInt(givens.length)],
                female && !family.endsWith("зода") ? family + "а" : family,
                random.nextBoolean() ? father + (female ? "овна" : "ович") : null, female ? Sex.FEMALE : Sex.MALE,
                dated ? born : null, dated ? null : 2026 - born.getYear(), LocalDate.of(2026, 12, 1));
    }

    private static PersonIdentity withTypo(PersonIdentity p, Random random) {
        return new PersonIdentity(TypingErrors.edit(p.givenName(), "neighbour-key", random), p.familyName(), p.patronymic(),
                p.sex(), p.birthDate(), p.ageEstimate(), p.referenceDate());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static byte[] bytes(long[] words) {
        ByteBuffer buffer = ByteBuffer.allocate(words.length * 8);
        for (long word : words) {
            buffer.putLong(word);
        }
        return buffer.array();
    }
}

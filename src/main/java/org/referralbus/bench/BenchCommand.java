package org.referralbus.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import org.referralbus.envelope.PemFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: in one run on this machine, the crypto-bound ceiling on all cores ({@link CryptoCeiling}), then for
 * each database the real bus in a JVM of its own ({@link BenchBus}), driven to saturation over mutual TLS by several
 * agencies and through the intake queue, then at half that rate for latency. Prints one table; its last line is
 * {@code end-to-end <N>/s, ceiling <M>/s, ratio <R>} for the first database. docs/performance.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures the crypto-bound ceiling, then the durable bus end to end (HTTPS and queue intake), on this machine.",
                "Run from the project folder (it reads keys-sample/ and schemas/examples/). Exit codes: 0 done; 1 referrals lost or refused; 2 could not run."})
public final class BenchCommand implements Callable<Integer> {

    private static final String POSTGRES_SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    /** Seconds always, even on a whole minute (where {@code LocalTime.toString} drops them). */
    private static final DateTimeFormatter PHASE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    @Spec
    CommandSpec spec;

    @Option(names = "--referrals", defaultValue = "600", description = "referrals sent over HTTPS at saturation (default ${DEFAULT-VALUE}); 10000 for the burst")
    int referrals;

    @Option(names = "--clients", defaultValue = "8", description = "concurrent HTTPS clients at saturation, spread over 4 agencies (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--queue-referrals", defaultValue = "200", description = "referrals put on the intake queue (default ${DEFAULT-VALUE}; 0 skips)")
    int queueReferrals;

    @Option(names = "--latency-referrals", defaultValue = "300", description = "referrals sent at 50 %% of saturation for latency (default ${DEFAULT-VALUE})")
    int latencyReferrals;

    // Saturation leaves work behind (copies still being taken and pushed, H2's unsaved pages, the audit chain catching
    // up), and the first requests at the half rate met it for 2 to 5 seconds: the slowest of the phase (performance.md,
    // session 32). Latency at half load is the bus's steady state at that rate, so the rate runs a while first, on the
    // same schedule as the timed referrals (a pause between them let H2 start its idle housekeeping instead).
    @Option(names = "--settle-seconds", defaultValue = "5",
            description = "seconds of referrals sent at 50 %% of saturation first, on the same schedule and not timed, so "
                    + "the bus has finished the saturation's work (default ${DEFAULT-VALUE}; 0 skips)")
    double settleSeconds;

    // 5 000, not 1 000: C2's thresholds are counts, so a method called once per referral is still being compiled
    // thousands of referrals in; after 1 000 the JIT took about a third of the bus's CPU (performance.md, session 27).
    @Option(names = "--warmup-referrals", defaultValue = "5000",
            description = "referrals sent first and not counted, so the JIT has compiled the hot paths (default ${DEFAULT-VALUE})")
    int warmupReferrals;

    // A bound on the longer warm-up, so that a run with no options still ends within about five minutes on a slower
    // machine; the line after the warm-up says how many went.
    @Option(names = "--warmup-seconds", defaultValue = "90",
            description = "stop the warm-up after this many seconds even if not all its referrals went (default ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(names = "--ceiling-seconds", defaultValue = "10", description = "seconds of warm-up, then as many measured, for the crypto ceiling (default ${DEFAULT-VALUE})")
    double ceilingSeconds;

    @Option(names = "--database", split = ",", defaultValue = "h2", description = "h2 (embedded default), postgresql (or postgres), or h2,postgresql (default ${DEFAULT-VALUE})")
    List<String> databases;

    @Option(names = "--burst", defaultValue = "0", description = "then put this many referrals on the intake queue at once (10000 for the issue's burst) and time until all are delivered (default ${DEFAULT-VALUE}: skipped)")
    int burst;

    @Option(names = "--prefill", defaultValue = "0", description = "then stop the bus, store this many more referrals by copying the stored ones in SQL (200000 for the issue's figure), restart it and measure HTTPS saturation again (default ${DEFAULT-VALUE}: skipped)")
    long prefill;

    @Option(names = "--jdbc-url", description = "PostgreSQL database to use (default: a fresh database on 127.0.0.1:5432, dropped afterwards)")
    String jdbcUrl;

    @Option(names = "--db-user", defaultValue = "postgres", description = "PostgreSQL user (default ${DEFAULT-VALUE})")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "", description = "PostgreSQL password (default empty: trust authentication)")
    String dbPassword;

    @Option(names = "--bus-heap", defaultValue = "512m", description = "the bus's heap, -Xms and -Xmx alike (default ${DEFAULT-VALUE})")
    String busHeap;

    @Option(names = "--jfr", description = "record a flight recording of the bus (bus.jfr in the data folder, kept, with the half-load latencies beside it)")
    boolean jfr;

    @Option(names = "--bus-jvm-option", paramLabel = "OPTION", description = "one more option for the bus's JVM, not the"
            + " bench's own (repeatable), e.g. --bus-jvm-option=-XX:TieredStopAtLevel=1")
    List<String> busJvmOptions = new ArrayList<>();

    @Option(names = "--launch", defaultValue = "extracted", description = "how the bus is started: extracted (the jar extracted"
            + " with -Djarmode=tools), cds (extracted, with a class-data-sharing archive built first by a training run, as"
            + " docs/operators.md recommends; neither step is counted in start-up) or jar (java -jar on the fat jar) (default ${DEFAULT-VALUE})")
    Launch launch;

    enum Launch {
        extracted("extracted jar"), cds("extracted jar, CDS archive"), jar("fat jar");

        private final String description;

        Launch(String description) {
            this.description = description;
        }
    }

    @Option(names = "--keys", defaultValue = "keys-sample", description = "the sample PKI folder (default ${DEFAULT-VALUE})")
    Path keys;

    @Option(names = "--data-dir", description = "where the bus keeps its data (default: a fresh folder under the system temp folder)")
    Path dataDir;

    @Option(names = "--keep-data", description = "keep the data folder afterwards (kept anyway with --jfr)")
    boolean keepData;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        for (String database : databases) {
            if (!database.equals("h2") && !isPostgres(database)) {
                out.println("error: --database " + database + " is not known: use h2, postgresql or h2,postgresql.");
                return 2;
            }
        }
        String loadBefore = loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        AgencyTls tls = new AgencyTls(keys.resolve("ca.crt"));
        BenchReferrals sealer = new BenchReferrals(keys, PemFiles.readCertificate(keys.resolve("bus/bus.crt")));
        out.printf(Locale.ROOT, "Referral Bus benchmark: %d cores, Java %s, load average %s%n", cores,
                System.getProperty("java.version"), loadBefore);

        CryptoCeiling ceiling = new CryptoCeiling(PemFiles.readPrivateKey(keys.resolve("bus/bus.key")),
                PemFiles.readCertificate(keys.resolve("bus/bus.crt")), tls.anchors(),
                PemFiles.readCertificate(keys.resolve("providers/shelter-dushanbe.crt")));
        List<byte[]> ceilingEnvelopes = sealer.seal(50).stream().map(BenchReferrals.Sealed::envelope).toList();
        out.printf(Locale.ROOT, "[1] crypto ceiling on %d threads: %.0f s warm-up, %.0f s measured%n", cores, ceilingSeconds, ceilingSeconds);
        CryptoCeiling.Cost cost = ceiling.measure(ceilingEnvelopes, cores, ceilingSeconds, n -> progress("rounds", n, -1));
        endProgress();

        List<BenchRun> runs = new ArrayList<>();
        int step = 2;
        for (String database : databases) {
            runs.add(runOne(database, step, tls, sealer));
            step += 1;
        }
        // Other processes on the machine slow the crypto loop too: measure it again after the bus and keep the faster
        // window, so a burst of outside load cannot lower the ceiling and flatter the ratio.
        out.printf(Locale.ROOT, "[%d] crypto ceiling again%n", step);
        CryptoCeiling.Cost again = ceiling.measure(ceilingEnvelopes, cores, ceilingSeconds, n -> progress("rounds", n, -1));
        endProgress();
        cost = again.referralsPerSecond(1) > cost.referralsPerSecond(1) ? again : cost;
        String loadAfter = loadAverage();
        new BenchTable(out, clients, queueReferrals, busHeap).print(runs, cost, cores, loadBefore, loadAfter);
        boolean lost = runs.stream().anyMatch(BenchRun::lostOrRefused);
        return lost ? 1 : 0;
    }

    /** Enough for the settling seconds at any half rate this bench has seen (under 50/s); the rest stays unsent. */
    private int settleReferrals() {
        return (int) Math.ceil(settleSeconds * 60);
    }

    private BenchRun runOne(String database, int step, AgencyTls tls, BenchReferrals sealer) throws Exception {
        Path data = dataDir != null ? dataDir.resolve(database)
                : Files.createTempDirectory("referral-bus-bench-" + database + "-");
        List<String> jvm = new ArrayList<>(busJvmOptions);
        if (jfr) {
            jvm.add("-XX:StartFlightRecording=filename=" + data.resolve("bus.jfr").toAbsolutePath() + ",settings=profile");
        }
        String scratch = null;
        List<String> spring = new ArrayList<>();
        String url = null;
        if (isPostgres(database)) {
            url = jdbcUrl;
            if (url == null) {
                scratch = "referralbus_bench_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
                adminPostgres("CREATE DATABASE " + scratch);
                url = POSTGRES_SERVER + scratch;
            }
            spring.addAll(List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + dbUser,
                    "--spring.datasource.password=" + dbPassword));
        }
        out.printf(Locale.ROOT, "[%d] %s: sealing %d referrals from %d agencies%n", step, database,
                warmupReferrals + referrals + queueReferrals + settleReferrals() + latencyReferrals, BenchReferrals.AGENCIES.size());
        List<BenchReferrals.Sealed> warmup = sealer.seal(warmupReferrals);
        List<BenchReferrals.Sealed> saturating = sealer.seal(referrals);
        List<BenchReferrals.Sealed> queued = sealer.seal(queueReferrals);
        List<BenchReferrals.Sealed> settling = sealer.seal(settleReferrals());
        List<BenchReferrals.Sealed> paced = sealer.seal(latencyReferrals);
        Map<String, SSLContext> agencies = new LinkedHashMap<>();
        for (String agency : BenchReferrals.AGENCIES) {
            agencies.put(agency, tls.as(sealer.agencyFile(agency, ".crt"), sealer.agencyFile(agency, ".key")));
        }
        List<BenchReferrals.Sealed> bursting = sealer.seal(burst);
        BenchRun run;
        int warmedUp;
        try {
            out.printf(Locale.ROOT, "    starting the bus (durable, %s, %s) in %s%n", database,
                    launch.description, data);
            if (launch == Launch.cds) {
                out.println("    (first a training run writes the class-data-sharing archive: once per release, not counted)");
            }
            out.flush();
            try (BenchBus bus = BenchBus.start(data, busHeap, jvm, spring, tls.anonymous(), launch);
                 ProviderQueues providerQueues = providersConsuming(bus)) {
                BusAdminClient admin = new BusAdminClient(bus.baseUrl(),
                        tls.as(keys.resolve("admins").resolve("bus-admin.crt"), keys.resolve("admins").resolve("bus-admin.key")));
                HeapSampler heapSampler = new HeapSampler(admin);
                java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
                sampler.scheduleWithFixedDelay(heapSampler::sample, 0, 1, java.util.concurrent.TimeUnit.SECONDS);
                try {
                    HttpsLoad https = new HttpsLoad(bus.baseUrl(), agencies);
                    out.printf(Locale.ROOT, "    ready after %.1f s; warm-up from %s%n", bus.startSeconds(), now());
                    HttpsLoad.Result warm = https.saturateFor(warmup, clients, Duration.ofMillis((long) (warmupSeconds * 1000)),
                            n -> progress("warm-up", n, warmup.size()));
                    endProgress();
                    List<BenchReferrals.Sealed> warmedWith = warmup.subList(0, warm.sent());
                    warmedUp = warm.sent();
                    out.printf(Locale.ROOT, "    warm-up: %d referrals in %.0f s%n", warm.sent(), warm.seconds());
                    if (url != null) {
                        refreshPlannerStatistics(url);
                    }
                    out.printf(Locale.ROOT, "    HTTPS saturation: %d clients, from %s%n", clients, now());
                    BusCpu cpu = BusCpu.from(bus);
                    HttpsLoad.Result saturation = https.saturate(saturating, clients, n -> progress("sent", n, saturating.size()));
                    double busCpuMs = cpu.msPerReferral(saturating.size());
                    ThreadCpu.Split busCpuSplit = cpu.split();
                    endProgress();
                    QueueLoad queue = new QueueLoad(bus.brokerUrl(), https, sealer, keys.resolve("ca.crt"));
                    double queueRate = 0;
                    if (!queued.isEmpty()) {
                        out.println("    intake queue, from " + now());
                        queueRate = queue.run(queued, 600_000, n -> progress("delivered", n, queued.size()));
                        endProgress();
                    }
                    double half = saturation.perSecond() / 2;
                    List<BenchReferrals.Sealed> settledWith = settling.subList(0, Math.min(settling.size(),
                            (int) Math.ceil(half * settleSeconds)));
                    StepBreakdown steps = new StepBreakdown(admin);
                    Map<String, StepBreakdown.Step> stepsBefore = steps.read();
                    LocalTime settleStart = LocalTime.now(ZoneOffset.UTC);
                    double settleFor = settledWith.size() / half;
                    if (!settledWith.isEmpty()) {
                        out.printf(Locale.ROOT, "    settling at 50 %% of saturation for %.1f s, not timed, from %s UTC%n", settleFor,
                                PHASE_TIME.format(settleStart));
                    }
                    out.printf(Locale.ROOT, "    latency at 50 %% of saturation: %.1f referrals/s, from %s UTC%n", half,
                            PHASE_TIME.format(settleStart.plusNanos((long) (settleFor * 1e9))));
                    HttpsLoad.Result paced50 = https.atRateAfter(settledWith, paced, half,
                            n -> progress("sent", n, settledWith.size() + paced.size()));
                    endProgress();
                    LatencyLog.write(data, paced50);
                    List<StepBreakdown.Share> shares = StepBreakdown.between(stepsBefore, steps.read(), paced50.accepted() + settledWith.size());
                    if (!shares.isEmpty()) {
                        out.println("    where a referral's time went at half load (the bus's step timings; a step that calls a route includes it):");
                        StepBreakdown.lines(shares, 14).forEach(out::println);
                    }
                    double burstRate = 0;
                    if (!bursting.isEmpty()) {
                        out.printf(Locale.ROOT, "    burst: %d referrals on the intake queue at once, from %s%n", bursting.size(), now());
                        burstRate = queue.run(bursting, 600_000L + 1000L * bursting.size(), n -> progress("delivered", n, bursting.size()));
                        endProgress();
                    }
                    sampler.shutdownNow();
                    heapSampler.sample();
                    long rss = bus.peakRssMb();
                    long heap = heapSampler.peakMb();
                    long databaseMb = databaseMb(database, data, url);
                    if (warm.accepted() != warm.sent()) {
                        out.printf(Locale.ROOT, "    warm-up: only %d of %d accepted %s%n", warm.accepted(), warm.sent(), warm.statuses());
                    }
                    List<BenchReferrals.Sealed> accepted = new ArrayList<>();
                    for (List<BenchReferrals.Sealed> sent : List.of(warmedWith, saturating, queued, settledWith, paced, bursting)) {
                        accepted.addAll(sent);
                    }
                    out.printf(Locale.ROOT, "    copies taken off the QUEUE providers' queues: %d%n", providerQueues.taken());
                    out.println("    checking every referral's status, from " + now());
                    BenchRun.Stored stored = new DeliveryCheck(https).check(accepted, n -> progress("checked", n, accepted.size()));
                    endProgress();
                    run = new BenchRun(database, bus.startSeconds(), saturation, busCpuMs, busCpuSplit, clients, queueRate, queued.size(), paced50,
                            half, heap, rss, databaseMb, stored, burstRate, bursting.size(), null);
                } finally {
                    sampler.shutdownNow();
                }
            }
            if (prefill > 0) {
                run = run.withPrefilled(prefilled(database, data, url, jvm, spring, tls, sealer, agencies, warmedUp));
            }
        } finally {
            if (scratch != null) {
                adminPostgres("DROP DATABASE IF EXISTS " + scratch + " WITH (FORCE)");
            }
            if (!keepData && !jfr && dataDir == null) {
                BenchBus.deleteTree(data);
            } else if (jfr) {
                out.println("    flight recording: " + data.resolve("bus.jfr"));
                out.println("    half-load latencies: " + data.resolve(LatencyLog.FILE) + " (when each was due, UTC; bench/SlowRequests lays them over the recording)");
            }
        }
        return run;
    }

    /**
     * The registry's QUEUE providers consuming their copies from now on, as their gateways would: the registry the bus
     * reads ({@code routes/providers.yaml} under the working directory, its {@code referral-bus.home}).
     */
    private ProviderQueues providersConsuming(BenchBus bus) throws Exception {
        ProviderQueues queues = ProviderQueues.consume(bus.brokerUrl(), Path.of("routes", "providers.yaml"), keys,
                keys.resolve("ca.crt"));
        out.println("    QUEUE providers taking their copies: " + String.join(", ", queues.providers()));
        return queues;
    }

    /** The restarted bus's checkpoint interval: its first catch-up comes after the bench has finished with it. */
    static final String PREFILLED_CHECKPOINT_INTERVAL = "24h";

    /**
     * The database's size on disk while the bus still runs, after the last phase: H2's file (under load it holds about
     * the last 45 seconds of writes besides the data, docs/performance.md, "What limits it next"), or PostgreSQL's
     * database.
     */
    private long databaseMb(String database, Path data, String postgresUrl) throws IOException, SQLException {
        if (isPostgres(database)) {
            try (Connection connection = DriverManager.getConnection(postgresUrl, dbUser, dbPassword);
                 Statement statement = connection.createStatement();
                 ResultSet size = statement.executeQuery("SELECT pg_database_size(current_database())")) {
                size.next();
                return size.getLong(1) >> 20;
            }
        }
        return Files.size(Path.of(h2Database(data) + ".mv.db")) >> 20;
    }

    /** The bus's embedded database under its data folder, as H2 names it in a URL (without the .mv.db suffix). */
    private static Path h2Database(Path data) {
        return data.resolve("db").resolve("referral-bus");
    }

    /**
     * With the bus stopped, stores {@link #prefill} more referrals by copying the stored ones, then restarts it on the
     * same data and measures HTTPS saturation again with fresh referrals: the cost of a full database against the
     * empty one of the same run. It is warmed up with as many referrals as the empty bus was, so the JIT has compiled
     * as much in both (on a slow machine the empty bus's warm-up stops at --warmup-seconds).
     */
    private BenchRun.Prefilled prefilled(String database, Path data, String postgresUrl, List<String> jvm, List<String> spring,
                                         AgencyTls tls, BenchReferrals sealer, Map<String, SSLContext> agencies,
                                         int warmedUp) throws Exception {
        out.printf(Locale.ROOT, "    storing %d more referrals (SQL copies of the stored ones)%n", prefill);
        Prefill fill = postgresUrl != null ? new Prefill(postgresUrl, dbUser, dbPassword)
                : new Prefill("jdbc:h2:file:" + h2Database(data).toAbsolutePath(), "sa", "");
        long start = System.nanoTime();
        long added = fill.fill(prefill, n -> progress("stored", n, prefill));
        endProgress();
        double fillSeconds = (System.nanoTime() - start) / 1e9;
        List<BenchReferrals.Sealed> warmup = sealer.seal(warmedUp);
        List<BenchReferrals.Sealed> saturating = sealer.seal(referrals);
        out.printf(Locale.ROOT, "    %d referrals added in %.0f s%n", added, fillSeconds);
        if (postgresUrl != null) {
            refreshPlannerStatistics(postgresUrl);
        }
        out.println("    restarting the bus");
        out.flush();
        List<String> secondJvm = jvm.stream().map(o -> o.replace("bus.jfr", "bus-prefilled.jfr")).toList();
        // Halfway to its first checkpoint a bus hashes and folds every trail row since the last signed head: here the
        // copied referrals' rows, which a bus that stored them itself did as they came. Started 5 minutes after the
        // restart, that catch-up landed in the measured phase (on PostgreSQL: 50.9 against 36.3 ms of CPU per referral).
        List<String> secondSpring = new ArrayList<>(spring);
        secondSpring.add("--referral-bus.audit.checkpoint-interval=" + PREFILLED_CHECKPOINT_INTERVAL);
        out.printf(Locale.ROOT, "    its first checkpoint in %s, after the run: the catch-up over the copied trail is not measured%n",
                PREFILLED_CHECKPOINT_INTERVAL);
        try (BenchBus bus = BenchBus.start(data, busHeap, secondJvm, secondSpring, tls.anonymous(), launch);
             ProviderQueues providerQueues = providersConsuming(bus)) {
            HttpsLoad https = new HttpsLoad(bus.baseUrl(), agencies);
            out.printf(Locale.ROOT, "    ready after %.1f s; warm-up from %s%n", bus.startSeconds(), now());
            https.saturate(warmup, clients, n -> progress("warm-up", n, warmup.size()));
            endProgress();
            out.printf(Locale.ROOT, "    HTTPS saturation with %d more stored: %d clients, from %s%n", added, clients, now());
            BusCpu cpu = BusCpu.from(bus);
            HttpsLoad.Result saturation = https.saturate(saturating, clients, n -> progress("sent", n, saturating.size()));
            double busCpuMs = cpu.msPerReferral(saturating.size());
            ThreadCpu.Split busCpuSplit = cpu.split();
            endProgress();
            long databaseMb = databaseMb(database, data, postgresUrl);
            List<BenchReferrals.Sealed> sent = new ArrayList<>(warmup);
            sent.addAll(saturating);
            BenchRun.Stored stored = new DeliveryCheck(https).check(sent, n -> progress("checked", n, sent.size()));
            endProgress();
            return new BenchRun.Prefilled(added, bus.startSeconds(), saturation, busCpuMs, busCpuSplit, databaseMb, stored);
        }
    }

    /** PostgreSQL's planner statistics brought up to date, as autovacuum would have by now ({@link PlannerStatistics}). */
    private void refreshPlannerStatistics(String url) throws SQLException {
        long start = System.nanoTime();
        String autovacuum = PlannerStatistics.refresh(url, dbUser, dbPassword);
        out.printf(Locale.ROOT, "    VACUUM (ANALYZE) in %.1f s, as autovacuum would have by now (autovacuum is %s on this server)%n",
                (System.nanoTime() - start) / 1e9, autovacuum);
        out.flush();
    }

    /** The bus's CPU time and its threads' at the start of a measured phase, to compare with at its end. */
    private record BusCpu(BenchBus bus, Duration before, Map<Long, ThreadCpu.Used> threadsBefore) {

        static BusCpu from(BenchBus bus) {
            return new BusCpu(bus, bus.cpuTime(), bus.threadCpu());
        }

        double msPerReferral(int referrals) {
            return bus.cpuTime().minus(before).toNanos() / 1e6 / referrals;
        }

        ThreadCpu.Split split() {
            return ThreadCpu.Split.between(threadsBefore, bus.threadCpu());
        }
    }

    private static boolean isPostgres(String database) {
        return database.equals("postgresql") || database.equals("postgres");
    }

    private void progress(String what, long done, long total) {
        out.print(total > 0 ? String.format(Locale.ROOT, "\r    %s %d/%d %s", what, done, total, bar(done, total))
                : String.format(Locale.ROOT, "\r    %s %d", what, done));
        out.flush();
    }

    private void endProgress() {
        out.println();
    }

    /** The time a phase starts, UTC, so a flight recording's samples can be cut to it (performance.md). */
    private static String now() {
        return PHASE_TIME.format(LocalTime.now(ZoneOffset.UTC)) + " UTC";
    }

    private static String bar(long done, long total) {
        int filled = (int) Math.min(20, 20 * done / Math.max(1, total)); // a copy may overshoot its estimate
        return "[" + "#".repeat(filled) + " ".repeat(20 - filled) + "]";
    }

    private void adminPostgres(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(POSTGRES_SERVER + "postgres", dbUser, dbPassword);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}

package dev.strata.bench;

import dev.strata.bench.Suite.Operation;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark of a {@link Suite} next to its raw twin and prints one table: operation,
 * library ops/s, raw ops/s and their ratio.
 *
 * <pre>
 * java -cp storage-bench/target/benchmarks.jar dev.strata.bench.Compare [embedded|postgres|redis] [quick|full] [--forks N] [--only method[:param=value],...]
 * scripts/with-test-servers java -cp storage-bench/target/benchmarks.jar dev.strata.bench.Compare postgres
 * </pre>
 *
 * <p>{@code embedded} (the default) runs {@link EmbeddedBenchmark} against {@link
 * RawXodusBenchmark}; {@code postgres} runs {@link PostgresBenchmark} against {@link
 * RawJdbcBenchmark}, {@code redis} {@link RedisBenchmark} against {@link RawLettuceBenchmark}; both
 * need the servers that {@code scripts/with-test-servers} starts.
 *
 * <p>{@code quick} (the default) runs each benchmark in one fork for 2 warmup iterations of 2 s and
 * 3 measured iterations of 1 s; {@code full} runs 2 forks of 3 warmup and 5 measured iterations of
 * 2 s. A benchmark of more than one thread warms up for longer, 5 iterations in quick mode and 15
 * in full: on 2 cores, 4 threads and as many server processes leave the JIT compiler little time,
 * and the PostgreSQL benchmarks of 4 threads were seen to climb for 10 to 30 s, so that a short
 * warm-up compares how fast each side gets compiled rather than what it costs once compiled. Both
 * sides of a pair always get the same settings. Quick runs of the embedded writes end before Xodus
 * starts its log cleaner (10 s after a store opens), so they measure them without it; full runs
 * include it. {@code --forks N} runs N forks of each side instead, and {@code --only} runs only the
 * rows of the given benchmark methods (such as {@code put,incrementThreads4}), or of a method only
 * the rows whose library side has a given parameter ({@code put:events=on}): more forks of a few
 * rows, for a pair that moves too much between forks to be read from two.
 *
 * <p>The forks of a pair alternate, library then raw, then raw then library, so that a machine that
 * slows down or speeds up during a pair weighs on both sides alike rather than on the side that
 * runs second. The ratio is that of the two sides' mean scores over all their forks; with more than
 * one fork, the table also gives the lowest and highest ratio of a library fork to the raw fork
 * next to it, which shows how far the pair moved within the run. The exit code is 0 whatever the
 * ratios, 1 if a benchmark failed or the server is missing and 2 for a bad argument. For anything
 * else (profilers, other settings) use the JMH command line: {@code java -jar benchmarks.jar -h}.
 */
public final class Compare {
  private final PrintStream out;
  private final Suite suite;
  private final Mode mode;
  private final int forks;
  private final List<Operation> operations;

  private Compare(PrintStream out, Suite suite, Mode mode, int forks, List<Operation> operations) {
    this.out = out;
    this.suite = suite;
    this.mode = mode;
    this.forks = forks;
    this.operations = operations;
  }

  /**
   * Runs the comparison and exits.
   *
   * @param args the suite, {@code embedded} (the default), {@code postgres} or {@code redis}, then
   *     the mode, {@code quick} (the default) or {@code full}; either may be left out; then
   *     optionally {@code --forks N} (1 to 50) and {@code --only method[:param=value],...}
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the comparison.
   *
   * @param args as {@link #main}'s
   * @param out where the table goes
   * @param err where errors go
   * @return the exit code: 0 when done, 1 when the server is missing or the benchmarks failed, 2
   *     for bad arguments
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
      out.println(usage());
      return 0;
    }
    List<String> positional = new ArrayList<>();
    Integer forks = null;
    List<String> only = null;
    for (int i = 0; i < args.length; i++) {
      boolean valued = args[i].equals("--forks") || args[i].equals("--only");
      if (valued && i + 1 == args.length) {
        return badArguments(err, args, args[i] + " needs a value");
      }
      if (args[i].equals("--forks")) {
        try {
          forks = Integer.parseInt(args[++i]);
        } catch (NumberFormatException e) {
          forks = 0;
        }
        if (forks < 1 || forks > 50) {
          return badArguments(err, args, "--forks takes a number from 1 to 50");
        }
      } else if (args[i].equals("--only")) {
        only = List.of(args[++i].split(","));
      } else {
        positional.add(args[i]);
      }
    }
    Optional<Suite> suite = Optional.of(Suite.ALL.get(0));
    Optional<Mode> mode = Optional.of(Mode.QUICK);
    if (positional.size() == 2) {
      suite = Suite.byName(positional.get(0));
      mode = Mode.byName(positional.get(1));
    } else if (positional.size() == 1 && Suite.byName(positional.get(0)).isPresent()) {
      suite = Suite.byName(positional.get(0));
    } else if (positional.size() == 1) {
      mode = Mode.byName(positional.get(0));
    }
    if (positional.size() > 2 || suite.isEmpty() || mode.isEmpty()) {
      return badArguments(err, args, null);
    }
    List<Operation> operations = suite.get().operations();
    if (only != null) {
      try {
        operations = select(suite.get(), only);
      } catch (IllegalArgumentException e) {
        return badArguments(err, args, e.getMessage());
      }
    }
    Optional<String> server;
    try {
      server = suite.get().server().get();
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return 1;
    }
    try {
      new Compare(
              out, suite.get(), mode.get(), forks == null ? mode.get().forks : forks, operations)
          .compare(server);
      return 0;
    } catch (RunnerException | RuntimeException e) {
      err.println();
      err.println("benchmark run failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  /**
   * The rows that {@code --only} names, in the suite's order: every row of a benchmark method, or,
   * for {@code method:name=value}, those of its rows whose library side runs with that parameter
   * (such as {@code put:events=on}).
   *
   * @param suite the suite
   * @param only the entries of {@code --only}
   * @return the rows
   * @throws IllegalArgumentException naming the entry that matches no row, and what there is
   */
  static List<Operation> select(Suite suite, List<String> only) {
    List<Operation> operations = suite.operations();
    List<String> methods = operations.stream().map(Operation::method).distinct().toList();
    Set<Operation> selected = new HashSet<>();
    for (String entry : only) {
      int colon = entry.indexOf(':');
      String method = colon < 0 ? entry : entry.substring(0, colon);
      if (!methods.contains(method)) {
        throw new IllegalArgumentException(
            "no benchmark method '"
                + method
                + "' in suite "
                + suite.name()
                + "; its methods: "
                + String.join(",", methods));
      }
      List<Operation> rows = operations.stream().filter(op -> op.method().equals(method)).toList();
      if (colon >= 0) {
        String param = entry.substring(colon + 1);
        int equals = param.indexOf('=');
        List<Operation> matching =
            equals < 0
                ? List.of()
                : rows.stream()
                    .filter(
                        op ->
                            param
                                .substring(equals + 1)
                                .equals(op.libraryParams().get(param.substring(0, equals))))
                    .toList();
        if (matching.isEmpty()) {
          throw new IllegalArgumentException(
              "no row of '"
                  + method
                  + "' with "
                  + param
                  + " in suite "
                  + suite.name()
                  + "; its rows: "
                  + rows.stream()
                      .map(op -> op.libraryParams().isEmpty() ? "no parameters" : params(op))
                      .collect(Collectors.joining(", ")));
        }
        rows = matching;
      }
      selected.addAll(rows);
    }
    return operations.stream().filter(selected::contains).toList();
  }

  private static String params(Operation op) {
    return op.libraryParams().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .sorted()
        .collect(Collectors.joining(" "));
  }

  private static int badArguments(PrintStream err, String[] args, String why) {
    err.println("bad arguments: " + String.join(" ", args) + (why == null ? "" : ": " + why));
    err.println(usage());
    return 2;
  }

  private static String usage() {
    String suites = Suite.ALL.stream().map(Suite::name).collect(Collectors.joining("|"));
    return "usage: java -cp benchmarks.jar "
        + Compare.class.getName()
        + " ["
        + suites
        + "] [quick|full] [--forks N] [--only method[:param=value],...]";
  }

  private void compare(Optional<String> server) throws RunnerException {
    long start = System.nanoTime();
    out.printf(
        Locale.ROOT,
        "%s, %s mode: %s per benchmark.%n",
        suite.title(),
        mode.label,
        mode.describe(forks));
    server.ifPresent(s -> out.printf(Locale.ROOT, "Server: %s.%n", s));
    out.printf(
        Locale.ROOT,
        "%d benchmarks; started %s on Java %s (%s), %d CPUs.%n%n",
        operations.size() * 2,
        ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors());
    List<Row> rows = new ArrayList<>();
    int done = 0;
    int total = operations.size() * 2 * forks;
    for (Operation op : operations) {
      List<Double> library = new ArrayList<>();
      List<Double> raw = new ArrayList<>();
      List<Double> forkRatios = new ArrayList<>();
      for (int fork = 0; fork < forks; fork++) {
        // Library first in even forks, raw first in odd ones.
        boolean libraryFirst = fork % 2 == 0;
        List<Double> first;
        List<Double> second;
        if (libraryFirst) {
          first = measure(suite.library(), op.method(), op.libraryParams(), ++done, total);
          second = measure(suite.raw(), op.method(), op.rawParams(), ++done, total);
        } else {
          first = measure(suite.raw(), op.method(), op.rawParams(), ++done, total);
          second = measure(suite.library(), op.method(), op.libraryParams(), ++done, total);
        }
        List<Double> libraryFork = libraryFirst ? first : second;
        List<Double> rawFork = libraryFirst ? second : first;
        library.addAll(libraryFork);
        raw.addAll(rawFork);
        forkRatios.add(mean(libraryFork) / mean(rawFork));
      }
      rows.add(new Row(op, library, raw, forkRatios));
    }
    out.println();
    printTable(rows);
    out.println();
    out.println(
        "ops/s counts calls: one putMany is a batch of 100 puts, one scan is a page of 100.");
    out.println(
        "± is the standard deviation of the measured iterations, relative to the score (the"
            + " spread within one run, not a confidence interval).");
    if (forks > 1) {
      out.println(
          "Forks gives the lowest and highest ratio of one library fork to the raw fork run next"
              + " to it; the forks of a pair alternate which side runs first.");
    }
    out.println(
        "Ratio is library/raw throughput; 1.00 means the library costs nothing over "
            + suite.rawName()
            + ".");
    suite.notes().forEach(out::println);
    if (mode == Mode.QUICK && forks == 1) {
      out.println(
          "These are single short runs: on a shared 2-core machine, differences under about 20%"
              + " are noise. Run 'full', with --forks N for more forks, for figures to quote.");
    } else {
      out.println(
          "On a shared 2-core machine, differences under about 10-20% between runs are noise;"
              + " more forks (--forks N) narrow them.");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    out.printf(Locale.ROOT, "Took %d min %02d s.%n", took.toMinutes(), took.toSecondsPart());
  }

  /** Runs one fork of a benchmark and returns the scores of its measured iterations, in ops/s. */
  private List<Double> measure(
      Class<?> benchmarkClass, String method, Map<String, String> params, int index, int total)
      throws RunnerException {
    String label = benchmarkClass.getSimpleName() + "." + method;
    if (!params.isEmpty()) {
      label +=
          params.entrySet().stream()
              .map(Object::toString)
              .collect(Collectors.joining(", ", " (", ")"));
    }
    out.printf(Locale.ROOT, "[%2d/%d] %-58s ", index, total, label);
    out.flush();
    long start = System.nanoTime();
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include("^" + Pattern.quote(benchmarkClass.getName() + "." + method) + "$")
            .forks(1)
            .warmupIterations(mode.warmupIterations(threads(suite, method)))
            .warmupTime(mode.warmupTime)
            .measurementIterations(mode.measurementIterations)
            .measurementTime(mode.iterationTime)
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT);
    params.forEach(options::param);
    RunResult result = new Runner(options.build()).runSingle();
    List<Double> scores = new ArrayList<>();
    for (BenchmarkResult fork : result.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        scores.add(iteration.getPrimaryResult().getScore());
      }
    }
    out.printf(
        Locale.ROOT,
        "%12s ops/s  (%d s)%n",
        formatScore(mean(scores)),
        Duration.ofNanos(System.nanoTime() - start).toSeconds());
    return scores;
  }

  /** The most threads that either side runs a method with, so that both sides warm up alike. */
  private static int threads(Suite suite, String method) {
    return Math.max(threads(suite.library(), method), threads(suite.raw(), method));
  }

  /**
   * The threads that a benchmark method runs with: its {@code @Threads}, else its class's, else 1.
   *
   * @throws IllegalArgumentException if the class has no benchmark method of that name
   */
  static int threads(Class<?> benchmarkClass, String name) {
    for (Method method : benchmarkClass.getMethods()) {
      if (method.getName().equals(name) && method.isAnnotationPresent(Benchmark.class)) {
        Threads threads = method.getAnnotation(Threads.class);
        if (threads == null) {
          threads = benchmarkClass.getAnnotation(Threads.class);
        }
        return threads == null ? 1 : threads.value();
      }
    }
    throw new IllegalArgumentException(
        "no benchmark method '" + name + "' in " + benchmarkClass.getSimpleName());
  }

  private void printTable(List<Row> rows) {
    String format = "%-32s %22s %22s %12s %12s%n";
    out.printf(
        Locale.ROOT,
        format,
        "operation",
        "library ops/s",
        suite.rawName() + " ops/s",
        "library/raw",
        forks > 1 ? "forks" : "");
    out.println("-".repeat(32 + 1 + 22 + 1 + 22 + 1 + 12 + 1 + 12));
    for (Row row : rows) {
      DoubleSummaryStatistics spread =
          row.forkRatios.stream().mapToDouble(Double::doubleValue).summaryStatistics();
      out.printf(
          Locale.ROOT,
          format,
          row.op.label(),
          withError(row.library),
          withError(row.raw),
          String.format(Locale.ROOT, "%.2f", mean(row.library) / mean(row.raw)),
          forks > 1
              ? String.format(Locale.ROOT, "%.2f-%.2f", spread.getMin(), spread.getMax())
              : "");
    }
  }

  /** The mean of the scores and their spread: the standard deviation, in % of the mean. */
  private static String withError(List<Double> scores) {
    double mean = mean(scores);
    String s = formatScore(mean);
    if (scores.size() < 2 || mean <= 0) {
      return s + "      ";
    }
    double squares = 0;
    for (double score : scores) {
      squares += (score - mean) * (score - mean);
    }
    double sd = Math.sqrt(squares / (scores.size() - 1));
    return String.format(Locale.ROOT, "%s ± %3.0f%%", s, 100 * sd / mean);
  }

  private static double mean(List<Double> scores) {
    return scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static String formatScore(double score) {
    return String.format(Locale.ROOT, "%,.0f", score);
  }

  /**
   * One line of the table: the scores of every measured iteration of each side, and the ratio of
   * each library fork to the raw fork next to it.
   */
  private record Row(
      Operation op, List<Double> library, List<Double> raw, List<Double> forkRatios) {}

  /** How long to run each benchmark. */
  private enum Mode {
    QUICK("quick", 1, 2, 5, TimeValue.seconds(2), 3, TimeValue.seconds(1)),
    FULL("full", 2, 3, 15, TimeValue.seconds(2), 5, TimeValue.seconds(2));

    final String label;
    final int forks;
    private final int warmupIterations;
    private final int threadedWarmupIterations;
    final TimeValue warmupTime;
    final int measurementIterations;
    final TimeValue iterationTime;

    Mode(
        String label,
        int forks,
        int warmupIterations,
        int threadedWarmupIterations,
        TimeValue warmupTime,
        int measurementIterations,
        TimeValue iterationTime) {
      this.label = label;
      this.forks = forks;
      this.warmupIterations = warmupIterations;
      this.threadedWarmupIterations = threadedWarmupIterations;
      this.warmupTime = warmupTime;
      this.measurementIterations = measurementIterations;
      this.iterationTime = iterationTime;
    }

    static Optional<Mode> byName(String name) {
      for (Mode m : values()) {
        if (m.label.equals(name)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }

    /** The warmup iterations of a benchmark run by the given number of threads. */
    int warmupIterations(int threads) {
      return threads > 1 ? threadedWarmupIterations : warmupIterations;
    }

    /** The settings, with the given number of forks. */
    String describe(int forks) {
      return String.format(
          Locale.ROOT,
          "%d fork%s, %d warmup iterations of %s (%d with more than one thread), %d measured"
              + " iterations of %s",
          forks,
          forks == 1 ? "" : "s",
          warmupIterations,
          warmupTime,
          threadedWarmupIterations,
          measurementIterations,
          iterationTime);
    }
  }
}

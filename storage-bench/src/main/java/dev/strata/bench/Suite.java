package dev.strata.bench;

import dev.strata.embedded.Durability;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@link Compare} runs: a library benchmark class, its raw twin, and the operations to run
 * from both. Immutable and thread-safe.
 *
 * @param name the name on the command line
 * @param title what is compared with what, for the first line of the output
 * @param library the library's benchmark class
 * @param raw the raw twin
 * @param rawName the raw side in the table's heading, e.g. {@code raw Xodus}
 * @param operations the rows of the table, in order
 * @param notes lines printed under the table, about this suite only
 * @param server checks that the server is there, before anything runs, and describes it (empty if
 *     the suite needs none); throws {@link IllegalStateException} with what to do if it is not
 */
record Suite(
    String name,
    String title,
    Class<?> library,
    Class<?> raw,
    String rawName,
    List<Operation> operations,
    List<String> notes,
    Supplier<Optional<String>> server) {

  /** Every suite, the default first. */
  static final List<Suite> ALL = List.of(embedded(), postgres(), redis());

  /**
   * The suite with a name.
   *
   * @param name the name on the command line
   * @return the suite, or empty if there is none of that name
   */
  static Optional<Suite> byName(String name) {
    return ALL.stream().filter(s -> s.name.equals(name)).findFirst();
  }

  /**
   * One benchmark method and its parameters on each side.
   *
   * @param method the method, of the same name in both classes
   * @param libraryParams the JMH parameters of the library's benchmark
   * @param rawParams the JMH parameters of the raw benchmark
   * @param label the operation in the table
   */
  record Operation(
      String method,
      Map<String, String> libraryParams,
      Map<String, String> rawParams,
      String label) {}

  /** The embedded store on a directory against Xodus, each write once per durability. */
  private static Suite embedded() {
    List<Operation> ops = new ArrayList<>();
    ops.add(new Operation("get", Map.of(), Map.of(), "get"));
    ops.add(new Operation("getThreads4", Map.of(), Map.of(), "get, 4 threads"));
    ops.add(new Operation("scan", Map.of(), Map.of(), "scan page of 100"));
    for (String method : List.of("put", "putMany", "increment")) {
      for (Durability d : Durability.values()) {
        String what = method.equals("putMany") ? "putMany of 100" : method;
        Map<String, String> durability = Map.of("durability", d.name());
        ops.add(new Operation(method, durability, durability, what + ", " + d.name()));
      }
    }
    return new Suite(
        "embedded",
        "Strata embedded storage against raw Xodus",
        EmbeddedBenchmark.class,
        RawXodusBenchmark.class,
        "raw Xodus",
        List.copyOf(ops),
        List.of(),
        Optional::empty);
  }

  /**
   * PostgreSQL against pgjdbc and HikariCP: writes with change events on (the default), and puts
   * from 1 and 4 threads once more with a subscriber and with events off, to show what events cost.
   */
  private static Suite postgres() {
    Map<String, String> none = Map.of();
    Map<String, String> on = Map.of("events", "on");
    Map<String, String> subscribed = Map.of("events", "subscribed");
    Map<String, String> off = Map.of("events", "off");
    return new Suite(
        "postgres",
        "Strata PostgreSQL storage against raw JDBC (pgjdbc through HikariCP)",
        PostgresBenchmark.class,
        RawJdbcBenchmark.class,
        "raw JDBC",
        List.of(
            new Operation("get", none, none, "get"),
            new Operation("getThreads4", none, none, "get, 4 threads"),
            new Operation("scan", none, none, "scan page of 100"),
            new Operation("put", on, none, "put"),
            new Operation("put", subscribed, none, "put, subscribed"),
            new Operation("put", off, none, "put, events off"),
            new Operation("putThreads4", on, none, "put, 4 threads"),
            new Operation("putThreads4", subscribed, none, "put, 4 threads, subscribed"),
            new Operation("putThreads4", off, none, "put, 4 threads, events off"),
            new Operation("putMany", on, none, "putMany of 100"),
            new Operation("increment", on, none, "increment"),
            new Operation("incrementThreads4", on, none, "increment, 4 threads")),
        List.of(
            "Change events are on (the default) unless marked 'events off': writes check whether"
                + " any session listens (while nobody does, once per 50 ms) and notify only then;"
                + " 'subscribed' rows have a subscriber, so every write sends a NOTIFY. Raw JDBC"
                + " publishes nothing.",
            "Both sides use a pool of "
                + BenchDatabase.POOL_SIZE
                + " connections to the same server, on loopback."),
        () -> {
          BenchDatabase db = BenchDatabase.fromEnvironment();
          return Optional.of("PostgreSQL " + db.serverVersion() + " at " + db.url());
        });
  }

  /**
   * Redis against Lettuce's own commands, on one connection per side that the threads share: writes
   * with change events on (the default), and puts once more with a subscriber and with events off.
   */
  private static Suite redis() {
    Map<String, String> none = Map.of();
    Map<String, String> on = Map.of("events", "on");
    return new Suite(
        "redis",
        "Strata Redis storage against raw Lettuce",
        RedisBenchmark.class,
        RawLettuceBenchmark.class,
        "raw Lettuce",
        List.of(
            new Operation("get", on, none, "get"),
            new Operation("getThreads4", on, none, "get, 4 threads"),
            new Operation("getMany", on, none, "getMany of 100"),
            new Operation("scan", on, none, "scan page of 100"),
            new Operation("put", on, none, "put"),
            new Operation("put", Map.of("events", "subscribed"), none, "put, subscribed"),
            new Operation("put", Map.of("events", "off"), none, "put, events off"),
            new Operation("putThreads4", on, none, "put, 4 threads"),
            new Operation("putMany", on, none, "putMany of 100"),
            new Operation("increment", on, none, "increment"),
            new Operation("incrementThreads4", on, none, "increment, 4 threads")),
        List.of(
            "Change events are on (the default) unless marked 'events off': every write"
                + " publishes on its namespace's channel, to nobody unless 'subscribed'. Raw"
                + " Lettuce publishes nothing.",
            "Each side shares one connection among its threads, on loopback; the raw side's"
                + " putMany is 100 pipelined SETs, its scan page a ZRANGEBYLEX then an MGET."),
        () -> Optional.of("Redis at " + BenchRedis.uri()));
  }
}

package dev.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compare's command line: every bad argument is refused, with why, before anything runs; and the
 * pairs it runs: every row has a twin on each side, run by the same number of threads.
 */
class CompareTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void helpNamesEveryOption() {
    assertThat(run("--help")).isZero();
    assertThat(text(out)).contains("[embedded|postgres|redis] [quick|full] [--forks N] [--only");
  }

  @Test
  void forksMustBeANumberFromOneToFifty() {
    for (String forks : new String[] {"0", "51", "-1", "two"}) {
      err.reset();
      assertThat(run("postgres", "full", "--forks", forks)).as(forks).isEqualTo(2);
      assertThat(text(err)).contains("--forks takes a number from 1 to 50");
    }
  }

  @Test
  void anOptionWithoutItsValueIsRefused() {
    assertThat(run("postgres", "--forks")).isEqualTo(2);
    assertThat(text(err)).contains("--forks needs a value");
    err.reset();
    assertThat(run("postgres", "--only")).isEqualTo(2);
    assertThat(text(err)).contains("--only needs a value");
  }

  @Test
  void onlyTakesMethodsOfTheSuiteAndNamesThemWhenOneIsNot() {
    assertThat(run("postgres", "full", "--only", "put,nosuch")).isEqualTo(2);
    assertThat(text(err))
        .contains("no benchmark method 'nosuch' in suite postgres")
        .contains("incrementThreads4");
  }

  @Test
  void onlyTakesEveryRowOfAMethodOrThoseWithAParameter() {
    Suite postgres = Suite.byName("postgres").orElseThrow();
    assertThat(Compare.select(postgres, List.of("put")))
        .extracting(Suite.Operation::label)
        .containsExactly("put", "put, subscribed", "put, events off");
    assertThat(Compare.select(postgres, List.of("increment", "put:events=on")))
        .as("in the suite's order, whatever the order asked")
        .extracting(Suite.Operation::label)
        .containsExactly("put", "increment");
    assertThat(Compare.select(postgres, List.of("put:events=off", "put")))
        .as("a row named twice runs once")
        .hasSize(3);
  }

  @Test
  void aParameterThatMatchesNoRowIsRefusedWithTheRowsThereAre() {
    for (String only : new String[] {"put:events=maybe", "put:events", "get:events=on"}) {
      err.reset();
      assertThat(run("postgres", "full", "--only", only)).as(only).isEqualTo(2);
      assertThat(text(err)).as(only).contains("no row of '" + only.split(":")[0] + "' with ");
    }
    assertThat(text(err)).contains("its rows: no parameters");
    err.reset();
    run("postgres", "full", "--only", "put:events=maybe");
    assertThat(text(err)).contains("its rows: events=on, events=subscribed, events=off");
  }

  @Test
  void unknownOrSurplusPositionalArgumentsAreRefused() {
    assertThat(run("postgres", "full", "again")).isEqualTo(2);
    assertThat(text(err)).contains("bad arguments: postgres full again");
    err.reset();
    assertThat(run("mysql")).isEqualTo(2);
    assertThat(text(err)).contains("bad arguments: mysql");
  }

  @Test
  void everyOperationHasATwinRunByAsManyThreads() {
    for (Suite suite : Suite.ALL) {
      for (Suite.Operation op : suite.operations()) {
        int threads = op.method().endsWith("Threads4") ? 4 : 1;
        assertThat(Compare.threads(suite.library(), op.method()))
            .as(suite.library().getSimpleName() + "." + op.method())
            .isEqualTo(threads);
        assertThat(Compare.threads(suite.raw(), op.method()))
            .as(suite.raw().getSimpleName() + "." + op.method())
            .isEqualTo(threads);
      }
    }
  }

  @Test
  void aMissingBenchmarkMethodIsNamed() {
    assertThatThrownBy(() -> Compare.threads(PostgresBenchmark.class, "getMany"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no benchmark method 'getMany' in PostgresBenchmark");
  }

  private int run(String... args) {
    return Compare.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}

package dev.strata.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Entry;
import dev.strata.api.ScanRequest;
import dev.strata.api.Storage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills a child JVM with SIGKILL at random points while it writes, many times over one directory,
 * and checks after each kill that the store opens cleanly and holds every write the child
 * acknowledged: with either durability, since both promise to survive a crash of the process (only
 * {@link Durability#SYNC_EVERY_COMMIT} also survives a crash of the machine, which this test cannot
 * cause).
 */
class CrashRecoveryTest {
  private static final int KILLS = 20;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Durability.class)
  void everyAcknowledgedWriteSurvivesKillNine(Durability durability) throws Exception {
    Random random = new Random(42);
    Map<String, Long> putVersions = new HashMap<>();
    List<String> committed = new ArrayList<>();
    long counter = 0;
    long next = 0;
    long totalAcks = 0;
    for (int round = 0; round < KILLS; round++) {
      Process child = startChild(durability, next);
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).as("child started").isEqualTo("READY");
      Thread killer =
          new Thread(
              () -> {
                try {
                  Thread.sleep(20 + random.nextInt(300));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                // SIGKILL through the handle: Process.destroyForcibly would also close our end of
                // the child's stdout, losing acknowledgements still in the pipe.
                child.toHandle().destroyForcibly();
              });
      killer.start();
      String line;
      while ((line = lines.readLine()) != null) {
        String[] parts = line.split(" ");
        switch (parts[0]) {
          case "PUT" -> putVersions.put(parts[1], Long.parseLong(parts[2]));
          case "COMMIT" -> {
            committed.add(parts[1]);
            committed.add(parts[2]);
          }
          case "INCR" -> counter = Long.parseLong(parts[1]);
          default -> throw new AssertionError("unexpected line from child: " + line);
        }
        totalAcks++;
        next++;
      }
      killer.join();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      next++; // the write in flight at the kill may have landed unacknowledged; skip its index

      try (Storage storage =
          EmbeddedStorage.open(EmbeddedConfig.builder().directory(dir).build())) {
        for (Map.Entry<String, Long> put : putVersions.entrySet()) {
          Optional<Entry> entry = storage.get(CrashWriter.NAMESPACE, put.getKey());
          assertThat(entry).as("acknowledged put of %s", put.getKey()).isPresent();
          assertThat(entry.get().version()).isEqualTo(put.getValue());
          assertThat(entry.get().valueEquals(CrashWriter.value(put.getKey()))).isTrue();
        }
        for (String key : committed) {
          assertThat(storage.get(CrashWriter.NAMESPACE, key))
              .as("acknowledged commit of %s", key)
              .isPresent();
        }
        long stored =
            storage
                .get(CrashWriter.NAMESPACE, "counter")
                .map(e -> Long.parseLong(new String(e.value(), StandardCharsets.US_ASCII)))
                .orElse(0L);
        // The increment in flight at the kill may have landed without its acknowledgement.
        assertThat(stored).isBetween(counter, counter + 1);
        counter = stored;
        long highest;
        try (Stream<Entry> all = storage.scanAll(CrashWriter.NAMESPACE, ScanRequest.all())) {
          highest = all.mapToLong(Entry::version).max().orElseThrow();
        }
        long version = storage.put(CrashWriter.NAMESPACE, "after-crash-" + round, new byte[1]);
        assertThat(version)
            .as("a version after a crash is above every stored version")
            .isGreaterThan(highest);
      }
    }
    assertThat(totalAcks).as("the child acknowledged writes before being killed").isPositive();
  }

  private Process startChild(Durability durability, long firstIndex) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            CrashWriter.class.getName(),
            dir.toString(),
            durability.name(),
            Long.toString(firstIndex))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }
}

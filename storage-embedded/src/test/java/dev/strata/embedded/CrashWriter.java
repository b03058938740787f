package dev.strata.embedded;

import dev.strata.api.Commit;
import dev.strata.api.Storage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link CrashRecoveryTest}: writes without end to a store and prints one line
 * per acknowledged write, until it is killed.
 *
 * <p>Lines: {@code PUT <key> <version>}, {@code COMMIT <key1> <key2>}, {@code INCR <value>}.
 */
public final class CrashWriter {
  static final String NAMESPACE = "crash";

  private CrashWriter() {}

  /**
   * Runs the writer.
   *
   * @param args the store directory, the {@link Durability} and the first index to write
   */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    long index = Long.parseLong(args[2]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    try (Storage storage =
        EmbeddedStorage.open(
            EmbeddedConfig.builder().directory(dir).durability(durability).build())) {
      out.println("READY");
      out.flush();
      while (true) {
        String key = "k" + index;
        switch ((int) (index % 3)) {
          case 0 -> {
            long version = storage.put(NAMESPACE, key, value(key));
            out.println("PUT " + key + " " + version);
          }
          case 1 -> {
            String other = key + "-pair";
            storage.commit(
                NAMESPACE, Commit.builder().put(key, value(key)).put(other, value(other)).build());
            out.println("COMMIT " + key + " " + other);
          }
          default -> out.println("INCR " + storage.increment(NAMESPACE, "counter", 1));
        }
        out.flush();
        index++;
      }
    }
  }

  static byte[] value(String key) {
    return ("value of " + key).repeat(8).getBytes(StandardCharsets.UTF_8);
  }
}

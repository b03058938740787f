package dev.strata.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Commit;
import dev.strata.api.CommitResult;
import dev.strata.api.Condition;
import dev.strata.api.Entry;
import dev.strata.api.Page;
import dev.strata.api.ScanRequest;
import dev.strata.api.Storage;
import dev.strata.api.codec.Codec;
import dev.strata.api.codec.TypedNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quickstart, kept compiling and correct. */
class QuickstartTest {
  @TempDir Path dir;

  @Test
  void quickstart() {
    // README quickstart: begin
    EmbeddedConfig config = EmbeddedConfig.builder().directory(dir).build(); // or .inMemory()
    try (Storage storage = EmbeddedStorage.open(config)) {
      long v1 = storage.put("users", "alice", "{\"age\":41}".getBytes(UTF_8));

      // Optimistic concurrency: write only if nobody wrote since we read.
      OptionalLong v2 = storage.compareAndSet("users", "alice", v1, "{\"age\":42}".getBytes(UTF_8));
      OptionalLong stale = storage.compareAndSet("users", "alice", v1, "{}".getBytes(UTF_8));

      // Several keys, all or nothing, only if the conditions hold.
      CommitResult result =
          storage.commit(
              "users",
              Commit.builder()
                  .require(Condition.absent("bob"))
                  .put("bob", "{\"age\":7}".getBytes(UTF_8))
                  .put("session/bob", "token".getBytes(UTF_8), Duration.ofMinutes(30))
                  .build());

      long visits = storage.increment("counters", "visits", 1);
      Page page = storage.scan("users", ScanRequest.prefix("session/").withLimit(100));

      TypedNamespace<String> names = storage.typed("names", Codec.utf8());
      names.put("alice", "Alice Liddell");
      Optional<Entry> alice = storage.get("users", "alice");
      // README quickstart: end

      assertThat(v2).isPresent();
      assertThat(stale).isEmpty();
      assertThat(result.committed()).isTrue();
      assertThat(visits).isEqualTo(1);
      assertThat(page.entries()).extracting(Entry::key).containsExactly("session/bob");
      assertThat(names.get("alice").orElseThrow().value()).isEqualTo("Alice Liddell");
      assertThat(alice.orElseThrow().version()).isEqualTo(v2.getAsLong());
    }
  }
}

package dev.strata.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code default} methods of {@link Storage}, over a storage that has only the required. */
class StorageDefaultsTest {
  private static final String NS = "users";

  private final InMemoryStorage storage = new InMemoryStorage();

  @AfterEach
  void close() {
    storage.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void putReturnsAnIncreasingVersionAndGetReadsIt() {
    long first = storage.put(NS, "k", bytes("a"));
    long second = storage.put(NS, "k", bytes("b"));
    assertThat(first).isPositive();
    assertThat(second).isGreaterThan(first);
    Entry entry = storage.get(NS, "k").orElseThrow();
    assertThat(entry.version()).isEqualTo(second);
    assertThat(entry.valueEquals(bytes("b"))).isTrue();
    assertThat(entry.expiresAt()).isEmpty();
  }

  @Test
  void putWithTtlSetsAnExpiry() {
    storage.put(NS, "k", bytes("a"), Duration.ofMinutes(1));
    assertThat(storage.get(NS, "k").orElseThrow().expiresAt()).isPresent();
  }

  @Test
  void existsAndDeleteSayWhetherSomethingWasThere() {
    assertThat(storage.exists(NS, "k")).isFalse();
    assertThat(storage.delete(NS, "k")).isFalse();
    storage.put(NS, "k", bytes("a"));
    assertThat(storage.exists(NS, "k")).isTrue();
    assertThat(storage.delete(NS, "k")).isTrue();
    assertThat(storage.exists(NS, "k")).isFalse();
    assertThat(storage.delete(NS, "k")).isFalse();
  }

  @Test
  void putIfAbsentWritesOnlyOnce() {
    OptionalLong first = storage.putIfAbsent(NS, "k", bytes("a"));
    OptionalLong second = storage.putIfAbsent(NS, "k", bytes("b"), Duration.ofMinutes(1));
    assertThat(first).isPresent();
    assertThat(second).isEmpty();
    assertThat(storage.get(NS, "k").orElseThrow().valueEquals(bytes("a"))).isTrue();
  }

  @Test
  void compareAndSetWritesOnlyAtTheExpectedVersion() {
    long version = storage.put(NS, "k", bytes("a"));
    assertThat(storage.compareAndSet(NS, "k", version + 1, bytes("x"))).isEmpty();
    OptionalLong next = storage.compareAndSet(NS, "k", version, bytes("b"));
    assertThat(next).isPresent();
    assertThat(storage.compareAndSet(NS, "k", version, bytes("c"), Duration.ofSeconds(1)))
        .isEmpty();
    assertThat(storage.get(NS, "k").orElseThrow().valueEquals(bytes("b"))).isTrue();
    assertThat(storage.compareAndSet(NS, "missing", 1, bytes("x"))).isEmpty();
    assertThat(storage.exists(NS, "missing")).isFalse();
  }

  @Test
  void conditionalDeleteDeletesOnlyAtTheExpectedVersion() {
    long version = storage.put(NS, "k", bytes("a"));
    assertThat(storage.delete(NS, "k", version + 1)).isFalse();
    assertThat(storage.exists(NS, "k")).isTrue();
    assertThat(storage.delete(NS, "k", version)).isTrue();
    assertThat(storage.exists(NS, "k")).isFalse();
  }

  @Test
  void putManyAndDeleteMany() {
    Map<String, byte[]> values = new LinkedHashMap<>();
    values.put("a", bytes("1"));
    values.put("b", bytes("2"));
    Map<String, Long> versions = storage.putMany(NS, values);
    assertThat(versions).containsOnlyKeys("a", "b");
    assertThat(storage.putMany(NS, Map.of("c", bytes("3")), Duration.ofMinutes(1)))
        .containsOnlyKeys("c");
    assertThat(storage.getMany(NS, List.of("c", "a", "zz")).keySet()).containsExactly("c", "a");
    assertThat(storage.deleteMany(NS, List.of("a", "a", "b", "missing"))).isEqualTo(2);
    assertThat(storage.getMany(NS, List.of("a", "b", "c")).keySet()).containsExactly("c");
  }

  @Test
  void anInvalidBatchWritesNothing() {
    Map<String, byte[]> values = new LinkedHashMap<>();
    values.put("a", bytes("1"));
    values.put("b\u0000", bytes("2"));
    assertThatThrownBy(() -> storage.putMany(NS, values))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(storage.exists(NS, "a")).isFalse();
  }

  @Test
  void scanAllFollowsCursorsAcrossPagesInKeyOrder() {
    List<String> keys =
        List.of("a", "b", "\uFFFF", "\uD83D\uDE00", "\uE000", "user/1", "user/2", "user0");
    keys.forEach(k -> storage.put(NS, k, bytes(k)));
    List<String> all = storage.scanAll(NS, ScanRequest.all().withLimit(3)).map(Entry::key).toList();
    assertThat(all)
        .containsExactly("a", "b", "user/1", "user/2", "user0", "\uE000", "\uFFFF", "\uD83D\uDE00");
    assertThat(storage.scanAll(NS, ScanRequest.prefix("user/").withLimit(1)).map(Entry::key))
        .containsExactly("user/1", "user/2");
    assertThat(
            storage
                .scanAll(NS, ScanRequest.all().withLimit(2).descending())
                .map(Entry::key)
                .collect(Collectors.toList()))
        .containsExactly("\uD83D\uDE00", "\uFFFF", "\uE000", "user0", "user/2", "user/1", "b", "a");
  }

  @Test
  void scanAllIsLazy() {
    for (int i = 0; i < 10; i++) {
      storage.put(NS, "k" + i, bytes("v"));
    }
    List<String> firstThree =
        storage.scanAll(NS, ScanRequest.all().withLimit(2)).limit(3).map(Entry::key).toList();
    assertThat(firstThree).containsExactly("k0", "k1", "k2");
    assertThat(storage.scanAll(NS, ScanRequest.prefix("none")).count()).isZero();
  }

  @Test
  void typedReturnsAViewOfTheNamespace() {
    assertThat(storage.typed(NS, dev.strata.api.codec.Codec.utf8()).namespace()).isEqualTo(NS);
    assertThatThrownBy(() -> storage.typed("bad ns", dev.strata.api.codec.Codec.utf8()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("typed")
        .hasMessageContaining("memory");
  }

  @Test
  void writesAreDeliveredToSubscribers() throws Exception {
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    try (Subscription subscription = storage.subscribe(NS, events::add)) {
      long version = storage.put(NS, "k", bytes("a"));
      storage.delete(NS, "k");
      List<ChangeEvent> received = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        received.add(events.poll(10, TimeUnit.SECONDS));
      }
      assertThat(received)
          .extracting(ChangeEvent::type, ChangeEvent::key)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(ChangeEvent.Type.PUT, "k"),
              org.assertj.core.groups.Tuple.tuple(ChangeEvent.Type.DELETE, "k"));
      assertThat(received.get(0).version()).isEqualTo(version);
      assertThat(received.get(1).version()).isGreaterThan(version);
    }
  }

  @Test
  void callsAfterCloseFailClearly() {
    storage.close();
    storage.close();
    assertThatThrownBy(() -> storage.put(NS, "k", bytes("a")))
        .isInstanceOf(StorageClosedException.class)
        .hasMessageContaining("commit")
        .hasMessageContaining(NS)
        .hasMessageContaining("memory");
    assertThatThrownBy(() -> storage.get(NS, "k")).isInstanceOf(StorageClosedException.class);
    assertThat(storage.health().status()).isEqualTo(Health.Status.DOWN);
    assertThat(storage.capabilities().features())
        .isEqualTo(
            Set.of(Capability.ATOMIC_BATCH, Capability.ATOMIC_COMMIT, Capability.DESCENDING_SCAN));
  }
}

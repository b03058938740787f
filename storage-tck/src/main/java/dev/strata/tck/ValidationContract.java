package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Commit;
import dev.strata.api.Condition;
import dev.strata.api.InvalidRequestException;
import dev.strata.api.Limits;
import dev.strata.api.ScanRequest;
import dev.strata.api.codec.Codec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Requests are checked before any I/O: a bad namespace, key, prefix, bound or time to live is an
 * {@link InvalidRequestException} that wrote nothing, and a {@code null} argument is a {@link
 * NullPointerException}.
 */
abstract class ValidationContract extends ContractGroup {

  ValidationContract(StorageContract contract) {
    super(contract);
  }

  /** Namespaces that are invalid, most of them one step from the test's valid namespace. */
  private List<String> invalidNamespaces() {
    return List.of(
        "",
        ns + " ",
        " " + ns,
        ns + ":",
        ns + ":x",
        ns + "/",
        ns + "\u00E9",
        ns + "*",
        ns + "\u0000",
        ns + "\n",
        ns + "x".repeat(65 - ns.length()),
        "\u4E2D\u6587");
  }

  /** Keys that are invalid: empty, with U+0000, or with lone surrogates. */
  static final List<String> INVALID_KEYS =
      List.of(
          "",
          "\u0000",
          "a\u0000",
          "\u0000a",
          "a\u0000b",
          "\uD800",
          "a\uD83D",
          "\uD83Da",
          "\uDC00",
          "\uDE00a",
          "a\uDE00",
          "\uDE00\uD83D");

  @Test
  void anInvalidNamespaceIsRejectedByReads() {
    storage.put(ns, "k", bytes("v"));
    for (String bad : invalidNamespaces()) {
      assertInvalid(bad, () -> storage.get(bad, "k"));
      assertInvalid(bad, () -> storage.exists(bad, "k"));
      assertInvalid(bad, () -> storage.getMany(bad, List.of("k")));
      assertInvalid(bad, () -> storage.scan(bad, ScanRequest.all()));
      assertInvalid(bad, () -> storage.scanAll(bad, ScanRequest.prefix("k")));
    }
  }

  @Test
  void anInvalidNamespaceIsRejectedByWritesThatWriteNothing() {
    String truncated = track(ns + "x".repeat(64 - ns.length()));
    for (String bad : invalidNamespaces()) {
      assertInvalid(bad, () -> storage.put(bad, "k", bytes("v")));
      assertInvalid(bad, () -> storage.put(bad, "k", bytes("v"), Duration.ofHours(1)));
      assertInvalid(bad, () -> storage.putIfAbsent(bad, "k", bytes("v")));
      assertInvalid(bad, () -> storage.compareAndSet(bad, "k", 1, bytes("v")));
      assertInvalid(bad, () -> storage.delete(bad, "k"));
      assertInvalid(bad, () -> storage.delete(bad, "k", 1));
      assertInvalid(bad, () -> storage.increment(bad, "k", 1));
      assertInvalid(bad, () -> storage.increment(bad, "k", 1, Duration.ofHours(1)));
      assertInvalid(bad, () -> storage.putMany(bad, Map.of("k", bytes("v"))));
      assertInvalid(bad, () -> storage.deleteMany(bad, List.of("k")));
      assertInvalid(bad, () -> storage.commit(bad, Commit.builder().put("k", bytes("v")).build()));
    }
    assertThat(scanKeys(ScanRequest.all())).isEmpty();
    assertThat(scanKeys(truncated, ScanRequest.all())).isEmpty();
  }

  @Test
  void anInvalidNamespaceIsRejectedBySubscriptionsAndTypedViews() {
    for (String bad : invalidNamespaces()) {
      assertInvalid(bad, () -> storage.subscribe(bad, event -> {}));
      assertInvalid(bad, () -> storage.typed(bad, Codec.utf8()));
    }
  }

  @Test
  void aNamespaceOf64CharactersIsValidAndOf65IsNot() {
    String longest = track(ns + "n".repeat(64 - ns.length()));
    String tooLong = longest + "n";

    storage.put(longest, "k", bytes("v"));

    assertThat(storage.exists(longest, "k")).isTrue();
    assertInvalid(tooLong, () -> storage.put(tooLong, "k", bytes("v")));
    assertInvalid(tooLong, () -> storage.get(tooLong, "k"));
  }

  @Test
  void anInvalidKeyIsRejectedByReads() {
    for (String bad : INVALID_KEYS) {
      assertInvalid(bad, () -> storage.get(ns, bad));
      assertInvalid(bad, () -> storage.exists(ns, bad));
      assertInvalid(bad, () -> storage.getMany(ns, List.of("ok", bad)));
    }
  }

  @Test
  void anInvalidKeyIsRejectedByWritesThatWriteNothing() {
    storage.put(ns, "ok", bytes("v"));
    long version = versionOf("ok");
    for (String bad : INVALID_KEYS) {
      assertInvalid(bad, () -> storage.put(ns, bad, bytes("v")));
      assertInvalid(bad, () -> storage.put(ns, bad, bytes("v"), Duration.ofHours(1)));
      assertInvalid(bad, () -> storage.delete(ns, bad));
      assertInvalid(bad, () -> storage.putIfAbsent(ns, bad, bytes("v")));
      assertInvalid(bad, () -> storage.compareAndSet(ns, bad, 1, bytes("v")));
      assertInvalid(bad, () -> storage.delete(ns, bad, 1));
      assertInvalid(bad, () -> storage.increment(ns, bad, 1));
      assertInvalid(bad, () -> storage.increment(ns, bad, 1, Duration.ofHours(1)));
    }
    assertThat(scanKeys(ScanRequest.all())).containsExactly("ok");
    assertThat(versionOf("ok")).isEqualTo(version);
  }

  @Test
  void anInvalidKeyIsRejectedByBatchesAndCommitsThatWriteNothing() {
    storage.put(ns, "ok", bytes("v"));
    long version = versionOf("ok");
    for (String bad : INVALID_KEYS) {
      assertInvalid(bad, () -> storage.putMany(ns, Map.of("ok", bytes("w"), bad, bytes("v"))));
      assertInvalid(bad, () -> storage.deleteMany(ns, List.of("ok", bad)));
      assertInvalid(
          bad,
          () -> storage.commit(ns, Commit.builder().delete("ok").put(bad, bytes("v")).build()));
      assertInvalid(
          bad,
          () ->
              storage.commit(
                  ns, Commit.builder().require(Condition.present(bad)).delete("ok").build()));
      assertInvalid(
          bad,
          () ->
              storage.commit(
                  ns, Commit.builder().require(Condition.versionIs(bad, 1)).delete("ok").build()));
    }
    assertThat(scanKeys(ScanRequest.all())).containsExactly("ok");
    assertThat(versionOf("ok")).isEqualTo(version);
  }

  @Test
  void anInvalidPrefixOrRangeBoundIsRejected() {
    List<String> bad = new ArrayList<>(INVALID_KEYS);
    bad.remove(""); // the empty prefix and the empty lower bound are valid
    for (String text : bad) {
      assertInvalid(text, () -> storage.scan(ns, ScanRequest.prefix(text)));
      assertInvalid(text, () -> storage.scan(ns, ScanRequest.range(text, null)));
      assertInvalid(text, () -> storage.scan(ns, ScanRequest.range("", text)));
    }
  }

  @Test
  void aZeroTtlIsRejected() {
    assertEveryTtlWriteRejects(Duration.ZERO);
  }

  @Test
  void aNegativeTtlIsRejected() {
    assertEveryTtlWriteRejects(Duration.ofSeconds(-1));
    assertEveryTtlWriteRejects(Duration.ofNanos(-1));
  }

  @Test
  void aTtlUnderOneMillisecondIsRejected() {
    assertEveryTtlWriteRejects(Duration.ofNanos(999_999));
  }

  @Test
  void aTtlOverTheMaximumIsRejected() {
    assertEveryTtlWriteRejects(Limits.MAX_TTL.plusMillis(1));
    assertEveryTtlWriteRejects(Duration.ofSeconds(Long.MAX_VALUE));
  }

  @Test
  void theShortestAndLongestTtlsAreAccepted() {
    storage.put(ns, "min", bytes("v"), Limits.MIN_TTL);
    long version = storage.put(ns, "max", bytes("v"), Limits.MAX_TTL);

    assertThat(versionOf("max")).isEqualTo(version);
    if (controlledClock()) {
      assertThat(storage.get(ns, "max").orElseThrow().expiresAt())
          .contains(clock.instant().plus(Limits.MAX_TTL));
      assertThat(storage.exists(ns, "min")).isTrue();
    }
  }

  @Test
  void nullArgumentsAreNullPointerExceptions() {
    byte[] v = bytes("v");
    Duration ttl = Duration.ofHours(1);
    List<ThrowingCallable> calls =
        List.of(
            () -> storage.get(null, "k"),
            () -> storage.get(ns, null),
            () -> storage.exists(ns, null),
            () -> storage.put(null, "k", v),
            () -> storage.put(ns, null, v),
            () -> storage.put(ns, "k", null),
            () -> storage.put(ns, "k", v, null),
            () -> storage.delete(ns, null),
            () -> storage.delete(ns, null, 1),
            () -> storage.putIfAbsent(ns, "k", null),
            () -> storage.putIfAbsent(ns, "k", v, null),
            () -> storage.compareAndSet(ns, null, 1, v),
            () -> storage.compareAndSet(ns, "k", 1, null),
            () -> storage.increment(ns, null, 1),
            () -> storage.increment(ns, "k", 1, null),
            () -> storage.getMany(ns, null),
            () -> storage.putMany(ns, null),
            () -> storage.putMany(ns, Map.of("k", v), null),
            () -> storage.deleteMany(ns, null),
            () -> storage.commit(ns, null),
            () -> storage.commit(null, Commit.builder().build()),
            () -> storage.scan(ns, null),
            () -> storage.scan(null, ScanRequest.all()),
            () -> storage.subscribe(ns, null),
            () -> storage.subscribe(null, event -> {}),
            () -> storage.typed(ns, null));
    for (int i = 0; i < calls.size(); i++) {
      assertThatThrownBy(calls.get(i))
          .as("call %d with a null argument", i)
          .isInstanceOf(NullPointerException.class);
    }
    assertThat(scanKeys(ScanRequest.all())).isEmpty();
    assertThat(storage.exists(ns, "k")).isFalse();
  }

  @Test
  void aNullKeyInACollectionIsRejected() {
    assertThatThrownBy(() -> storage.getMany(ns, Arrays.asList("a", null)))
        .isInstanceOfAny(NullPointerException.class, InvalidRequestException.class);
    assertThatThrownBy(() -> storage.deleteMany(ns, Arrays.asList("a", null)))
        .isInstanceOfAny(NullPointerException.class, InvalidRequestException.class);
  }

  @Test
  void anInvalidRequestNamesItsNamespaceAndBackendAndIsNotRetryable() {
    assertThatThrownBy(() -> storage.put(ns, "bad\u0000", bytes("v")))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage()).contains(ns).contains(storage.name());
              assertThat(e.isRetryable()).isFalse();
            });
  }

  private void assertEveryTtlWriteRejects(Duration ttl) {
    Map<String, Consumer<Duration>> writes =
        Map.of(
            "put", t -> storage.put(ns, "k", bytes("v"), t),
            "putIfAbsent", t -> storage.putIfAbsent(ns, "k", bytes("v"), t),
            "compareAndSet", t -> storage.compareAndSet(ns, "existing", 1, bytes("v"), t),
            "putMany", t -> storage.putMany(ns, Map.of("k", bytes("v")), t),
            "increment", t -> storage.increment(ns, "k", 1, t),
            "commit", t -> storage.commit(ns, Commit.builder().put("k", bytes("v"), t).build()));
    storage.put(ns, "existing", bytes("v"));
    long version = versionOf("existing");
    writes.forEach(
        (name, write) ->
            assertThatThrownBy(() -> write.accept(ttl))
                .as("%s with ttl %s", name, ttl)
                .isInstanceOf(InvalidRequestException.class));
    assertThatThrownBy(() -> storage.compareAndSet(ns, "existing", version, bytes("w"), ttl))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(scanKeys(ScanRequest.all())).containsExactly("existing");
    assertThat(versionOf("existing")).isEqualTo(version);
  }

  private static void assertInvalid(String what, ThrowingCallable call) {
    assertThatThrownBy(call)
        .as("request with '%s'", what)
        .isInstanceOf(InvalidRequestException.class);
  }
}

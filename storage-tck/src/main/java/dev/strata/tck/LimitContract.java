package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Commit;
import dev.strata.api.Condition;
import dev.strata.api.InvalidRequestException;
import dev.strata.api.ScanRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Size limits, at the exact boundary and one byte over: keys, prefixes and range bounds are
 * measured in UTF-8 bytes, values in bytes, against {@code capabilities().limits()}. A rejected
 * request is an {@link InvalidRequestException} and writes nothing.
 */
abstract class LimitContract extends ContractGroup {
  private static final long MAX_VALUE_TO_ALLOCATE = 64L << 20;

  LimitContract(StorageContract contract) {
    super(contract);
  }

  @BeforeEach
  final void needRoomForFourByteCharacters() {
    Assumptions.assumeTrue(limits().maxKeyBytes() >= 4, "keys too short to test characters");
  }

  private int maxKey() {
    return limits().maxKeyBytes();
  }

  /** {@code ascii} ASCII letters followed by {@code tail}. */
  private static String key(int ascii, String tail) {
    return repeat('k', ascii) + tail;
  }

  @Test
  void aKeyOfExactlyTheLimitInAsciiIsAccepted() {
    String key = key(maxKey(), "");

    storage.put(ns, key, bytes("v"));

    assertThat(valueOf(key)).isEqualTo("v");
    assertThat(scanKeys(ScanRequest.all())).containsExactly(key);
  }

  @Test
  void aKeyOneByteOverTheLimitIsRejectedAndWritesNothing() {
    String key = key(maxKey() + 1, "");

    assertRejectedWithoutWrite(() -> storage.put(ns, key, bytes("v")));
  }

  @Test
  void aTwoByteCharacterAtTheKeyLimitCountsTwoBytes() {
    String fits = key(maxKey() - 2, "\u00E9");
    String over = key(maxKey() - 1, "\u00E9");

    assertRejectedWithoutWrite(() -> storage.put(ns, over, bytes("v")));
    storage.put(ns, fits, bytes("v"));
    assertThat(scanKeys(ScanRequest.all())).containsExactly(fits);
  }

  @Test
  void aThreeByteCharacterAtTheKeyLimitCountsThreeBytes() {
    String fits = key(maxKey() - 3, "\u4E2D");
    String over = key(maxKey() - 2, "\u4E2D");

    assertRejectedWithoutWrite(() -> storage.put(ns, over, bytes("v")));
    storage.put(ns, fits, bytes("v"));
    assertThat(scanKeys(ScanRequest.all())).containsExactly(fits);
  }

  @Test
  void aFourByteCharacterAtTheKeyLimitCountsFourBytes() {
    String fits = key(maxKey() - 4, "\uD83D\uDE00");
    String over = key(maxKey() - 3, "\uD83D\uDE00");

    assertRejectedWithoutWrite(() -> storage.put(ns, over, bytes("v")));
    storage.put(ns, fits, bytes("v"));
    assertThat(scanKeys(ScanRequest.all())).containsExactly(fits);
  }

  @Test
  void anOversizedKeyIsRejectedByEveryOperation() {
    String over = key(maxKey() - 1, "\u00E9");
    storage.put(ns, "present", bytes("1"));

    assertRejectedWithoutWrite(() -> storage.get(ns, over));
    assertRejectedWithoutWrite(() -> storage.exists(ns, over));
    assertRejectedWithoutWrite(() -> storage.delete(ns, over));
    assertRejectedWithoutWrite(() -> storage.delete(ns, over, 1));
    assertRejectedWithoutWrite(() -> storage.put(ns, over, bytes("v"), Duration.ofHours(1)));
    assertRejectedWithoutWrite(() -> storage.putIfAbsent(ns, over, bytes("v")));
    assertRejectedWithoutWrite(() -> storage.compareAndSet(ns, over, 1, bytes("v")));
    assertRejectedWithoutWrite(() -> storage.increment(ns, over, 1));
    assertRejectedWithoutWrite(() -> storage.getMany(ns, List.of("present", over)));
    assertRejectedWithoutWrite(() -> storage.deleteMany(ns, List.of("present", over)));
    assertRejectedWithoutWrite(
        () -> storage.putMany(ns, Map.of("present", bytes("2"), over, bytes("v"))));
    assertRejectedWithoutWrite(
        () ->
            storage.commit(
                ns,
                Commit.builder()
                    .require(Condition.absent(over))
                    .put("present", bytes("2"))
                    .build()));
    assertThat(valueOf("present")).isEqualTo("1");
  }

  @Test
  void aValueOfExactlyTheLimitIsAccepted() {
    int max = limits().maxValueBytes();
    Assumptions.assumeTrue(max <= MAX_VALUE_TO_ALLOCATE, "value limit too large: " + max);
    byte[] value = new byte[max];
    value[0] = 1;
    if (max > 1) {
      value[max - 1] = 2;
    }

    storage.put(ns, "k", value);

    assertThat(storage.get(ns, "k").orElseThrow().value()).isEqualTo(value);
  }

  @Test
  void aValueOneByteOverTheLimitIsRejectedAndWritesNothing() {
    int max = limits().maxValueBytes();
    Assumptions.assumeTrue(max < MAX_VALUE_TO_ALLOCATE, "value limit too large: " + max);
    byte[] over = new byte[max + 1];

    assertRejectedWithoutWrite(() -> storage.put(ns, "new", over));
    assertRejectedWithoutWrite(() -> storage.put(ns, "new", over, Duration.ofHours(1)));
    assertRejectedWithoutWrite(() -> storage.putIfAbsent(ns, "new", over));
    assertRejectedWithoutWrite(() -> storage.commit(ns, Commit.builder().put("new", over).build()));
  }

  @Test
  void anOversizedValueLeavesTheExistingValue() {
    int max = limits().maxValueBytes();
    Assumptions.assumeTrue(max < MAX_VALUE_TO_ALLOCATE, "value limit too large: " + max);
    byte[] over = new byte[max + 1];
    long version = storage.put(ns, "k", new byte[0]);

    assertThatThrownBy(() -> storage.put(ns, "k", over))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> storage.compareAndSet(ns, "k", version, over))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> storage.compareAndSet(ns, "k", version, over, Duration.ofHours(1)))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(versionOf("k")).isEqualTo(version);
    assertThat(storage.get(ns, "k").orElseThrow().valueLength()).isZero();
  }

  @Test
  void aPrefixIsLimitedLikeAKey() {
    String fits = key(maxKey() - 4, "\uD83D\uDE00");
    String over = key(maxKey() - 3, "\uD83D\uDE00");
    storage.put(ns, fits, bytes("v"));

    assertThat(scanKeys(ScanRequest.prefix(fits))).containsExactly(fits);
    assertThatThrownBy(() -> storage.scan(ns, ScanRequest.prefix(over)))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void rangeBoundsAreLimitedLikeKeys() {
    String fits = key(maxKey() - 2, "\u00E9");
    String over = key(maxKey() - 1, "\u00E9");
    storage.put(ns, fits, bytes("v"));

    assertThat(scanKeys(ScanRequest.range(fits, null))).containsExactly(fits);
    assertThat(scanKeys(ScanRequest.range("", fits))).isEmpty();
    assertThatThrownBy(() -> storage.scan(ns, ScanRequest.range(over, null)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> storage.scan(ns, ScanRequest.range("a", over)))
        .isInstanceOf(InvalidRequestException.class);
  }

  /** Asserts the call is an invalid request and the namespace is as it was before. */
  private void assertRejectedWithoutWrite(ThrowingCallable call) {
    List<String> before = scanKeys(ScanRequest.all());

    assertThatThrownBy(call).isInstanceOf(InvalidRequestException.class);

    assertThat(scanKeys(ScanRequest.all())).isEqualTo(before);
  }
}

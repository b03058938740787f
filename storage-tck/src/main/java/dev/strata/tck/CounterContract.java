package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.CounterOverflowException;
import dev.strata.api.Entry;
import dev.strata.api.NotACounterException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Counters: atomic increments of a decimal signed 64-bit value, starting at 0, with clear errors
 * for overflow and for values that are not counters.
 */
abstract class CounterContract extends ContractGroup {

  CounterContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void anAbsentKeyStartsAtZero() {
    assertThat(storage.increment(ns, "c", 5)).isEqualTo(5);
    assertThat(valueOf("c")).isEqualTo("5");
  }

  @Test
  void incrementsAccumulate() {
    storage.increment(ns, "c", 1);
    storage.increment(ns, "c", 2);

    assertThat(storage.increment(ns, "c", 3)).isEqualTo(6);
    assertThat(valueOf("c")).isEqualTo("6");
  }

  @Test
  void aNegativeDeltaDecrements() {
    assertThat(storage.increment(ns, "c", -3)).isEqualTo(-3);
    assertThat(storage.increment(ns, "c", 10)).isEqualTo(7);
    assertThat(storage.increment(ns, "c", -7)).isZero();
    assertThat(valueOf("c")).isEqualTo("0");
  }

  @Test
  void aZeroDeltaReturnsTheCurrentValueAndKeepsIt() {
    storage.increment(ns, "c", 41);

    assertThat(storage.increment(ns, "c", 0)).isEqualTo(41);
    assertThat(valueOf("c")).isEqualTo("41");
    assertThat(storage.increment(ns, "absent", 0)).isZero();
  }

  @Test
  void theValueIsReadableAsDecimalAscii() {
    storage.increment(ns, "c", -1_234_567_890_123L);

    byte[] value = storage.get(ns, "c").orElseThrow().value();

    assertThat(value).isEqualTo("-1234567890123".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void aDecimalValueWrittenWithPutIsACounter() {
    storage.put(ns, "c", bytes("42"));
    storage.put(ns, "negative", bytes("-7"));

    assertThat(storage.increment(ns, "c", 1)).isEqualTo(43);
    assertThat(storage.increment(ns, "negative", 7)).isZero();
    assertThat(valueOf("c")).isEqualTo("43");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "",
        "4.2",
        "12abc",
        " 1",
        "1 ",
        "0x10",
        "1e3",
        "--1",
        "9223372036854775808",
        "-9223372036854775809",
        "99999999999999999999",
        "\u0661\u0662",
        "+1",
        "01",
        "-0",
        "-01",
        "00",
        "1_000",
        "0o17",
        "0b1"
      })
  void aValueThatIsNotADecimalLongIsNotACounter(String value) {
    long version = storage.put(ns, "c", bytes(value));

    assertThatThrownBy(() -> storage.increment(ns, "c", 1))
        .isInstanceOf(NotACounterException.class);
    assertThatThrownBy(() -> storage.increment(ns, "c", 0, Duration.ofHours(1)))
        .isInstanceOf(NotACounterException.class);

    Entry entry = storage.get(ns, "c").orElseThrow();
    assertThat(text(entry)).isEqualTo(value);
    assertThat(entry.version()).isEqualTo(version);
    assertThat(entry.expiresAt()).isEmpty();
  }

  @Test
  void aBinaryValueIsNotACounter() {
    storage.put(ns, "c", new byte[] {(byte) 0xFF, 0x00, 0x31});

    assertThatThrownBy(() -> storage.increment(ns, "c", 1))
        .isInstanceOf(NotACounterException.class);
    assertThat(storage.get(ns, "c").orElseThrow().value()).containsExactly((byte) 0xFF, 0x00, 0x31);
  }

  @Test
  void overflowPastTheMaximumFailsAndKeepsTheValue() {
    assertThat(storage.increment(ns, "c", Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    long version = versionOf("c");

    assertThatThrownBy(() -> storage.increment(ns, "c", 1))
        .isInstanceOf(CounterOverflowException.class);
    assertThatThrownBy(() -> storage.increment(ns, "c", Long.MAX_VALUE))
        .isInstanceOf(CounterOverflowException.class);

    assertThat(valueOf("c")).isEqualTo(Long.toString(Long.MAX_VALUE));
    assertThat(versionOf("c")).isEqualTo(version);
  }

  @Test
  void underflowPastTheMinimumFailsAndKeepsTheValue() {
    assertThat(storage.increment(ns, "c", Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    long version = versionOf("c");

    assertThatThrownBy(() -> storage.increment(ns, "c", -1))
        .isInstanceOf(CounterOverflowException.class);
    assertThatThrownBy(() -> storage.increment(ns, "c", Long.MIN_VALUE))
        .isInstanceOf(CounterOverflowException.class);

    assertThat(valueOf("c")).isEqualTo(Long.toString(Long.MIN_VALUE));
    assertThat(versionOf("c")).isEqualTo(version);
  }

  @Test
  void overflowOfAPutValueFailsAndKeepsIt() {
    storage.put(ns, "c", bytes("9223372036854775000"));

    assertThatThrownBy(() -> storage.increment(ns, "c", 1000))
        .isInstanceOf(CounterOverflowException.class);

    assertThat(valueOf("c")).isEqualTo("9223372036854775000");
    assertThat(storage.increment(ns, "c", 807)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aTtlWhenCreatedAppliesToANewCounter() {
    Duration ttl = shortTtl();

    assertThat(storage.increment(ns, "c", 1, ttl)).isEqualTo(1);
    assertThat(storage.get(ns, "c").orElseThrow().expiresAt()).isPresent();

    letExpire(ttl, "c");
    assertThat(storage.get(ns, "c")).isEmpty();
  }

  @Test
  void aTtlWhenCreatedIsIgnoredByAnExistingCounter() {
    Duration ttl = shortTtl();
    storage.increment(ns, "c", 1);

    assertThat(storage.increment(ns, "c", 1, ttl)).isEqualTo(2);

    assertThat(storage.get(ns, "c").orElseThrow().expiresAt()).isEmpty();
    letExpire(ttl);
    assertThat(valueOf("c")).isEqualTo("2");
  }

  @Test
  void anIncrementKeepsTheExpiryOfAnExistingCounter() {
    Duration ttl = shortTtl();
    storage.put(ns, "c", bytes("5"), ttl);
    Entry before = storage.get(ns, "c").orElseThrow();

    assertThat(storage.increment(ns, "c", 1)).isEqualTo(6);
    assertThat(storage.increment(ns, "c", 1, Duration.ofDays(1))).isEqualTo(7);

    assertThat(storage.get(ns, "c").orElseThrow().expiresAt()).isEqualTo(before.expiresAt());
    letExpire(ttl, "c");
    assertThat(storage.get(ns, "c")).isEmpty();
  }

  @Test
  void anExpiredCounterRestartsAtZero() {
    Duration ttl = shortTtl();
    storage.increment(ns, "c", 100, ttl);
    letExpire(ttl, "c");

    assertThat(storage.increment(ns, "c", 2)).isEqualTo(2);
    assertThat(storage.get(ns, "c").orElseThrow().expiresAt()).isEmpty();
  }

  @Test
  void anExpiredValueThatWasNotACounterIsReplacedByZero() {
    Duration ttl = shortTtl();
    storage.put(ns, "c", bytes("not a number"), ttl);
    letExpire(ttl, "c");

    assertThat(storage.increment(ns, "c", 3)).isEqualTo(3);
    assertThat(valueOf("c")).isEqualTo("3");
  }

  @Test
  void aDeletedCounterRestartsAtZeroWithAHigherVersion() {
    storage.increment(ns, "c", 100, Duration.ofDays(1));
    long version = versionOf("c");
    assertThat(storage.delete(ns, "c")).isTrue();

    assertThat(storage.increment(ns, "c", 2)).isEqualTo(2);

    Entry entry = storage.get(ns, "c").orElseThrow();
    assertThat(entry.version()).isGreaterThan(version);
    assertThat(entry.expiresAt()).isEmpty();
  }

  @Test
  void countersOfDifferentKeysAreIndependent() {
    storage.increment(ns, "a", 1);
    storage.increment(ns, "b", 10);
    storage.increment(ns, "a", 1);

    assertThat(valueOf("a")).isEqualTo("2");
    assertThat(valueOf("b")).isEqualTo("10");
  }
}

package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.ScanRequest;
import dev.strata.api.codec.Codec;
import dev.strata.api.codec.CodecException;
import dev.strata.api.codec.TypedNamespace;
import dev.strata.api.codec.Versioned;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Typed views through the storage: {@link TypedNamespace} with the built-in codecs round-trips
 * values and shares the storage's versions, conditions and scans.
 */
abstract class TypedContract extends ContractGroup {
  private TypedNamespace<String> strings;

  TypedContract(StorageContract contract) {
    super(contract);
  }

  @BeforeEach
  final void openView() {
    strings = storage.typed(ns, Codec.utf8());
  }

  @Test
  void aUtf8ValueRoundTrips() {
    String value = "h\u00E9llo, \u4E16\u754C \uD83D\uDE00";

    long version = strings.put("k", value);

    Versioned<String> read = strings.get("k").orElseThrow();
    assertThat(read.key()).isEqualTo("k");
    assertThat(read.value()).isEqualTo(value);
    assertThat(read.version()).isEqualTo(version);
    assertThat(read.expiresAt()).isEmpty();
    assertThat(storage.get(ns, "k").orElseThrow().value()).isEqualTo(bytes(value));
  }

  @Test
  void theViewSeesWhatTheStorageWrote() {
    long version = storage.put(ns, "k", bytes("raw"));

    assertThat(strings.get("k").orElseThrow().value()).isEqualTo("raw");
    assertThat(strings.get("k").orElseThrow().version()).isEqualTo(version);
    assertThat(strings.getMany(List.of("absent", "k"))).containsOnlyKeys("k");
    assertThat(strings.namespace()).isEqualTo(ns);
  }

  @Test
  void conditionalWritesThroughTheViewFollowTheContract() {
    long first = strings.putIfAbsent("k", "one").orElseThrow();

    assertThat(strings.putIfAbsent("k", "two")).isEmpty();
    long second = strings.compareAndSet("k", first, "three").orElseThrow();
    assertThat(strings.compareAndSet("k", first, "four")).isEmpty();
    assertThat(strings.delete("k", first)).isFalse();
    assertThat(strings.get("k").orElseThrow().value()).isEqualTo("three");
    assertThat(strings.delete("k", second)).isTrue();
    assertThat(strings.delete("k")).isFalse();
  }

  @Test
  void aTtlThroughTheViewExpires() {
    Duration ttl = shortTtl();

    strings.put("k", "v", ttl);

    assertThat(strings.get("k").orElseThrow().expiresAt()).isPresent();
    letExpire(ttl, "k");
    assertThat(strings.get("k")).isEmpty();
  }

  @Test
  void aScanThroughTheViewDecodesEveryPage() {
    for (int i = 0; i < 7; i++) {
      strings.put("k" + i, "value " + i);
    }
    strings.put("other", "x");

    assertThat(strings.scanAll(ScanRequest.prefix("k").withLimit(3)).map(Versioned::value))
        .containsExactly(
            "value 0", "value 1", "value 2", "value 3", "value 4", "value 5", "value 6");
  }

  @Test
  void aValueTheCodecCannotDecodeIsACodecException() {
    storage.put(ns, "k", new byte[] {(byte) 0xC3, (byte) 0x28});

    assertThatThrownBy(() -> strings.get("k")).isInstanceOf(CodecException.class);
    assertThat(storage.get(ns, "k")).isPresent();
  }

  @Test
  void theBytesCodecStoresValuesUnchanged() {
    TypedNamespace<byte[]> raw = storage.typed(ns, Codec.bytes());
    byte[] value = {0, (byte) 0xFF, 0x7F, (byte) 0x80};

    raw.put("k", value);

    assertThat(raw.get("k").orElseThrow().value()).containsExactly(value);
    assertThat(storage.get(ns, "k").orElseThrow().value()).containsExactly(value);
  }
}

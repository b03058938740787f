package dev.strata.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The reading of an entry's string, whose writing {@code entries.lua} does on the server. */
class EntryFormatTest {
  @Test
  void theHeaderEndsAtItsFourthColonAndTheValueIsTheRestWhateverItHolds() {
    Entry entry = RedisOps.entry("k", bytes("7:1764612345678:1764612345999:1764612399000::a:b:"));

    assertThat(entry.key()).isEqualTo("k");
    assertThat(entry.version()).isEqualTo(7);
    assertThat(entry.createdAt()).isEqualTo(Instant.ofEpochMilli(1764612345678L));
    assertThat(entry.updatedAt()).isEqualTo(Instant.ofEpochMilli(1764612345999L));
    assertThat(entry.expiresAt()).contains(Instant.ofEpochMilli(1764612399000L));
    assertThat(entry.value()).isEqualTo(bytes(":a:b:"));
  }

  @Test
  void anEmptyExpiryIsNoneAndAnEmptyValueIsEmpty() {
    Entry entry = RedisOps.entry("k", bytes("9007199254740993:0:1::"));

    assertThat(entry.version()).isEqualTo(9_007_199_254_740_993L);
    assertThat(entry.expiresAt()).isEmpty();
    assertThat(entry.value()).isEmpty();
  }

  @Test
  void aStringThatIsNoEntryIsRefusedNotMisread() {
    for (String stored :
        new String[] {
          "", "hello", "1:2:3", "1:2:3:4", "1::3::v", "1:2:-3::v", "12345678901234567:1:1::"
        }) {
      assertThatThrownBy(() -> RedisOps.entry("k", bytes(stored)))
          .as(stored)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("'k'");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

package dev.strata.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {
  @Test
  void aBackendNameIsOneTo64PlainCharacters() {
    assertThat(Settings.backendName("orders.db-1_x")).isEqualTo("orders.db-1_x");
    assertThat(Settings.backendName("n".repeat(64))).hasSize(64);
    for (String bad : new String[] {"", "n".repeat(65), "a b", "a:b", "é", "a/b"}) {
      assertThatThrownBy(() -> Settings.backendName(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("name must be 1 to 64 characters")
          .hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(() -> Settings.backendName(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aDurationWithinBoundsIsKeptAndOneOutsideIsRefusedByName() {
    Duration min = Duration.ofMillis(10);
    Duration max = Duration.ofMinutes(1);
    assertThat(Settings.within("t", min, min, max)).isEqualTo(min);
    assertThat(Settings.within("t", max, min, max)).isEqualTo(max);
    assertThatThrownBy(() -> Settings.within("timeout", min.minusNanos(1), min, max))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be from PT0.01S to PT1M, was PT0.009999999S");
    assertThatThrownBy(() -> Settings.within("timeout", max.plusNanos(1), min, max))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Settings.within("timeout", null, min, max))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout");
  }

  @Test
  void aPurgeIntervalIsZeroOrFrom10MsTo1Day() {
    assertThat(Settings.purgeInterval(Duration.ZERO)).isZero();
    assertThat(Settings.purgeInterval(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(10));
    assertThat(Settings.purgeInterval(Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
    for (Duration bad :
        new Duration[] {
          Duration.ofMillis(9), Duration.ofDays(1).plusNanos(1), Duration.ofMillis(-1)
        }) {
      assertThatThrownBy(() -> Settings.purgeInterval(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("purgeInterval must be zero or from 10 ms to 1 day");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 100_001, Integer.MIN_VALUE})
  void aPurgeBatchSizeOutOfRangeIsRefused(int size) {
    assertThatThrownBy(() -> Settings.purgeBatchSize(size))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("purgeBatchSize must be from 1 to 100000, was " + size);
  }

  @Test
  void aPurgeBatchSizeAtTheEdgesIsKept() {
    assertThat(Settings.purgeBatchSize(1)).isEqualTo(1);
    assertThat(Settings.purgeBatchSize(100_000)).isEqualTo(100_000);
  }
}

package dev.strata.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EntryTest {
  private static final Instant CREATED = Instant.parse("2024-01-02T03:04:05Z");
  private static final Instant UPDATED = Instant.parse("2024-01-02T03:04:06Z");
  private static final Instant EXPIRES = Instant.parse("2024-01-03T00:00:00Z");

  private static Entry entry(byte[] value) {
    return new Entry("k", value, 7, CREATED, UPDATED, EXPIRES);
  }

  @Test
  void exposesWhatItWasMadeWith() {
    Entry entry = entry(new byte[] {1, 2, 3});
    assertThat(entry.key()).isEqualTo("k");
    assertThat(entry.value()).containsExactly(1, 2, 3);
    assertThat(entry.valueLength()).isEqualTo(3);
    assertThat(entry.version()).isEqualTo(7);
    assertThat(entry.createdAt()).isEqualTo(CREATED);
    assertThat(entry.updatedAt()).isEqualTo(UPDATED);
    assertThat(entry.expiresAt()).contains(EXPIRES);
  }

  @Test
  void anEntryWithoutExpiryHasAnEmptyExpiry() {
    Entry entry = new Entry("k", new byte[0], 1, CREATED, CREATED, null);
    assertThat(entry.expiresAt()).isEmpty();
    assertThat(entry.valueLength()).isZero();
  }

  @Test
  void copiesTheValueIn() {
    byte[] value = {1, 2, 3};
    Entry entry = entry(value);
    value[0] = 9;
    assertThat(entry.value()).containsExactly(1, 2, 3);
    assertThat(entry.valueEquals(new byte[] {1, 2, 3})).isTrue();
  }

  @Test
  void copiesTheValueOut() {
    Entry entry = entry(new byte[] {1, 2, 3});
    byte[] out = entry.value();
    out[0] = 9;
    assertThat(entry.value()).containsExactly(1, 2, 3);
    assertThat(entry.value()).isNotSameAs(entry.value());
  }

  @Test
  void valueEqualsComparesContent() {
    Entry entry = entry(new byte[] {1, 2, 3});
    assertThat(entry.valueEquals(new byte[] {1, 2, 3})).isTrue();
    assertThat(entry.valueEquals(new byte[] {1, 2})).isFalse();
    assertThat(entry.valueEquals(new byte[] {1, 2, 4})).isFalse();
    assertThat(entry.valueEquals(null)).isFalse();
  }

  @Test
  void equalsAndHashCodeCompareContent() {
    Entry a = entry(new byte[] {1, 2, 3});
    Entry b = entry(new byte[] {1, 2, 3});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(entry(new byte[] {1, 2, 4}));
    assertThat(a).isNotEqualTo(new Entry("j", new byte[] {1, 2, 3}, 7, CREATED, UPDATED, EXPIRES));
    assertThat(a).isNotEqualTo(new Entry("k", new byte[] {1, 2, 3}, 8, CREATED, UPDATED, EXPIRES));
    assertThat(a).isNotEqualTo(new Entry("k", new byte[] {1, 2, 3}, 7, UPDATED, UPDATED, EXPIRES));
    assertThat(a).isNotEqualTo(new Entry("k", new byte[] {1, 2, 3}, 7, CREATED, CREATED, EXPIRES));
    assertThat(a).isNotEqualTo(new Entry("k", new byte[] {1, 2, 3}, 7, CREATED, UPDATED, null));
    assertThat(a).isNotEqualTo(null).isNotEqualTo("k");
  }

  @Test
  void toStringShowsTheLengthButNeverTheValue() {
    byte[] secret = "s3cr3t-password".getBytes(UTF_8);
    Entry entry = entry(secret);
    assertThat(entry.toString())
        .contains("key=k", "version=7", "valueLength=15", "expiresAt=" + EXPIRES)
        .doesNotContain("s3cr3t")
        .doesNotContain(java.util.Arrays.toString(secret))
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(secret));
    assertThat(new Entry("k", new byte[0], 1, CREATED, CREATED, null).toString())
        .doesNotContain("expiresAt");
  }

  @Test
  void theVersionMustBePositive() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Entry("k", new byte[0], 0, CREATED, UPDATED, null))
        .withMessage("version must be positive, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Entry("k", new byte[0], -5, CREATED, UPDATED, null));
    assertThat(new Entry("k", new byte[0], Long.MAX_VALUE, CREATED, UPDATED, null).version())
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void rejectsNulls() {
    assertThatNullPointerException()
        .isThrownBy(() -> new Entry(null, new byte[0], 1, CREATED, UPDATED, null))
        .withMessage("key");
    assertThatNullPointerException()
        .isThrownBy(() -> new Entry("k", null, 1, CREATED, UPDATED, null))
        .withMessage("value");
    assertThatNullPointerException()
        .isThrownBy(() -> new Entry("k", new byte[0], 1, null, UPDATED, null))
        .withMessage("createdAt");
    assertThatNullPointerException()
        .isThrownBy(() -> new Entry("k", new byte[0], 1, CREATED, null, null))
        .withMessage("updatedAt");
  }
}

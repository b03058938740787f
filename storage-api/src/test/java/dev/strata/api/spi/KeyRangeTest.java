package dev.strata.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyRangeTest {
  private static final String SUPPLEMENTARY = new String(Character.toChars(0x1F600));

  private static KeyRange range(String lower, boolean inclusive, String upper) {
    return new KeyRange(lower, inclusive, Optional.ofNullable(upper), 10, false);
  }

  @Test
  void containsKeysFromAnInclusiveLowerBoundUpToTheExclusiveUpperBound() {
    KeyRange range = range("b", true, "d");
    assertThat(range.contains("a")).isFalse();
    assertThat(range.contains("b")).isTrue();
    assertThat(range.contains("b\u0001")).isTrue();
    assertThat(range.contains("c")).isTrue();
    assertThat(range.contains("czzz")).isTrue();
    assertThat(range.contains("d")).isFalse();
    assertThat(range.contains("d0")).isFalse();
  }

  @Test
  void anExclusiveLowerBoundLeavesOutTheBoundItself() {
    KeyRange range = range("b", false, "d");
    assertThat(range.contains("b")).isFalse();
    assertThat(range.contains("b\u0001")).isTrue();
  }

  @Test
  void noUpperBoundMeansEverythingFromTheLowerBound() {
    KeyRange range = range("", true, null);
    assertThat(range.contains("\u0001")).isTrue();
    assertThat(range.contains(new String(Character.toChars(Character.MAX_CODE_POINT)))).isTrue();
    assertThat(range.isEmpty()).isFalse();
  }

  @Test
  void comparesInCodePointOrderNotUtf16Order() {
    // In UTF-16 order U+FFFF sorts after U+1F600; in code point order it sorts before.
    KeyRange range = range("\uE000", true, SUPPLEMENTARY);
    assertThat(range.contains("\uFFFF")).isTrue();
    assertThat(range.contains(new String(Character.toChars(0x10000)))).isTrue();
    assertThat(range.contains(SUPPLEMENTARY)).isFalse();
    assertThat(range("", true, "\uFFFF").contains(SUPPLEMENTARY)).isFalse();
    assertThat(range(SUPPLEMENTARY, true, null).contains("\uFFFF")).isFalse();
  }

  @Test
  void isEmptyWhenTheLowerBoundIsNotBelowTheUpperBound() {
    assertThat(range("b", true, "b").isEmpty()).isTrue();
    assertThat(range("c", true, "b").isEmpty()).isTrue();
    assertThat(range("b", false, "b").isEmpty()).isTrue();
    assertThat(range("a", true, "b").isEmpty()).isFalse();
    assertThat(range("a", false, "b").isEmpty()).isFalse();
    assertThat(range("", true, "").isEmpty()).isTrue();
    assertThat(range(SUPPLEMENTARY, true, "\uFFFF").isEmpty()).isTrue();
    assertThat(range("\uFFFF", true, SUPPLEMENTARY).isEmpty()).isFalse();
  }

  @Test
  void anEmptyRangeContainsNothing() {
    KeyRange empty = range("m", false, "b");
    for (String key : new String[] {"a", "b", "c", "m", "n"}) {
      assertThat(empty.contains(key)).as(key).isFalse();
    }
  }

  @Test
  void isAValue() {
    assertThat(range("a", true, "b")).isEqualTo(range("a", true, "b"));
    assertThat(range("a", true, "b")).hasSameHashCodeAs(range("a", true, "b"));
    assertThat(range("a", true, "b")).isNotEqualTo(range("a", false, "b"));
  }
}

package dev.strata.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.InvalidRequestException;
import dev.strata.api.Limits;
import dev.strata.api.ScanRequest;
import dev.strata.api.UnicodeArbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class RequestValidatorPropertyTest {

  @Property
  void acceptsAValidKeyIffItFitsTheByteLimit(
      @ForAll("keys") String key, @ForAll @IntRange(min = 1, max = 64) int maxKeyBytes) {
    RequestValidator validator =
        new RequestValidator("b", Limits.builder().maxKeyBytes(maxKeyBytes).build());
    if (Keys.utf8Length(key) <= maxKeyBytes) {
      assertThatCode(() -> validator.key("get", "ns", key)).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> validator.key("get", "ns", key))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("more than the limit of " + maxKeyBytes);
    }
  }

  @Property
  void aCursorContinuesStrictlyAfterItsKey(
      @ForAll("keys") String prefix, @ForAll("keys") String last) {
    RequestValidator validator = new RequestValidator("b", Limits.defaults());
    String key = prefix + last;
    KeyRange range =
        validator.scan(
            "scan", "ns", ScanRequest.prefix(prefix).withCursor(Cursors.after(key)), true);
    assertThat(range.contains(key)).isFalse();
    KeyRange descending =
        validator.scan(
            "scan",
            "ns",
            ScanRequest.prefix(prefix).descending().withCursor(Cursors.after(key)),
            true);
    assertThat(descending.contains(key)).isFalse();
    assertThat(descending.contains(prefix)).isTrue();
  }

  @Provide
  Arbitrary<String> keys() {
    return UnicodeArbitraries.keys();
  }
}

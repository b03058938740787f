package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.function.ObjIntConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LimitsTest {

  @Test
  void defaults() {
    Limits limits = Limits.defaults();
    assertThat(limits.maxKeyBytes()).isEqualTo(1024).isEqualTo(Limits.MAX_KEY_BYTES);
    assertThat(limits.maxValueBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(limits.maxBatchSize()).isEqualTo(1000);
    assertThat(limits.maxPageSize()).isEqualTo(1000);
    assertThat(Limits.builder().build()).isEqualTo(limits);
    assertThat(Limits.MAX_VALUE_BYTES).isEqualTo(512 * 1024 * 1024);
    assertThat(Limits.MIN_TTL).isEqualTo(Duration.ofMillis(1));
    assertThat(Limits.MAX_TTL).isEqualTo(Duration.ofDays(36_500));
  }

  @Test
  void buildsWhatWasSet() {
    Limits limits =
        Limits.builder().maxKeyBytes(10).maxValueBytes(20).maxBatchSize(30).maxPageSize(40).build();
    assertThat(limits.maxKeyBytes()).isEqualTo(10);
    assertThat(limits.maxValueBytes()).isEqualTo(20);
    assertThat(limits.maxBatchSize()).isEqualTo(30);
    assertThat(limits.maxPageSize()).isEqualTo(40);
  }

  @Test
  void acceptsTheBoundsOfEveryField() {
    Limits low =
        Limits.builder().maxKeyBytes(1).maxValueBytes(0).maxBatchSize(1).maxPageSize(1).build();
    assertThat(low.maxValueBytes()).isZero();
    Limits high =
        Limits.builder()
            .maxKeyBytes(Limits.MAX_KEY_BYTES)
            .maxValueBytes(Limits.MAX_VALUE_BYTES)
            .maxBatchSize(100_000)
            .maxPageSize(100_000)
            .build();
    assertThat(high.maxValueBytes()).isEqualTo(Limits.MAX_VALUE_BYTES);
  }

  private static Arguments bad(
      String field, int value, int min, int max, ObjIntConsumer<Limits.Builder> setter) {
    return Arguments.of(field, value, min, max, setter);
  }

  static Stream<Arguments> outOfRange() {
    int maxValue = Limits.MAX_VALUE_BYTES;
    return Stream.of(
        bad("maxKeyBytes", 0, 1, 1024, Limits.Builder::maxKeyBytes),
        bad("maxKeyBytes", -1, 1, 1024, Limits.Builder::maxKeyBytes),
        bad("maxKeyBytes", 1025, 1, 1024, Limits.Builder::maxKeyBytes),
        bad("maxValueBytes", -1, 0, maxValue, Limits.Builder::maxValueBytes),
        bad("maxValueBytes", maxValue + 1, 0, maxValue, Limits.Builder::maxValueBytes),
        bad("maxValueBytes", Integer.MAX_VALUE, 0, maxValue, Limits.Builder::maxValueBytes),
        bad("maxBatchSize", 0, 1, 100_000, Limits.Builder::maxBatchSize),
        bad("maxBatchSize", 100_001, 1, 100_000, Limits.Builder::maxBatchSize),
        bad("maxPageSize", 0, 1, 100_000, Limits.Builder::maxPageSize),
        bad("maxPageSize", Integer.MIN_VALUE, 1, 100_000, Limits.Builder::maxPageSize),
        bad("maxPageSize", 100_001, 1, 100_000, Limits.Builder::maxPageSize));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("outOfRange")
  void rejectsOutOfRangeValuesNamingFieldAndValue(
      String field, int value, int min, int max, ObjIntConsumer<Limits.Builder> setter) {
    Limits.Builder builder = Limits.builder();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> setter.accept(builder, value))
        .withMessage(field + " must be between " + min + " and " + max + ", was " + value);
    // Nothing was corrected silently: the builder still holds the default.
    assertThat(builder.build()).isEqualTo(Limits.defaults());
  }

  @Test
  void toBuilderRoundTrips() {
    Limits limits =
        Limits.builder().maxKeyBytes(100).maxValueBytes(0).maxBatchSize(7).maxPageSize(9).build();
    assertThat(limits.toBuilder().build()).isEqualTo(limits);
    assertThat(Limits.defaults().toBuilder().build()).isEqualTo(Limits.defaults());
    Limits changed = limits.toBuilder().maxPageSize(10).build();
    assertThat(changed.maxPageSize()).isEqualTo(10);
    assertThat(changed.maxKeyBytes()).isEqualTo(100);
    assertThat(limits.maxPageSize()).isEqualTo(9);
  }

  @Test
  void equalsAndHashCodeFollowEveryField() {
    Limits base = Limits.builder().maxKeyBytes(10).maxValueBytes(20).build();
    Limits same = Limits.builder().maxValueBytes(20).maxKeyBytes(10).build();
    assertThat(base).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(base).isNotEqualTo(base.toBuilder().maxKeyBytes(11).build());
    assertThat(base).isNotEqualTo(base.toBuilder().maxValueBytes(21).build());
    assertThat(base).isNotEqualTo(base.toBuilder().maxBatchSize(999).build());
    assertThat(base).isNotEqualTo(base.toBuilder().maxPageSize(999).build());
    assertThat(base).isNotEqualTo(null).isNotEqualTo("Limits");
    // Fields are not interchangeable in the hash.
    Limits swapped = Limits.builder().maxBatchSize(5).maxPageSize(6).build();
    Limits swappedBack = Limits.builder().maxBatchSize(6).maxPageSize(5).build();
    assertThat(swapped.hashCode()).isNotEqualTo(swappedBack.hashCode());
  }

  @Test
  void toStringShowsEveryField() {
    assertThat(Limits.defaults())
        .hasToString(
            "Limits{maxKeyBytes=1024, maxValueBytes=8388608, maxBatchSize=1000,"
                + " maxPageSize=1000}");
  }
}

package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class ScanRequestTest {

  @Test
  void aPrefixScan() {
    ScanRequest request = ScanRequest.prefix("user/");
    assertThat(request.prefix()).contains("user/");
    assertThat(request.from()).isEmpty();
    assertThat(request.to()).isEmpty();
    assertThat(request.limit()).isEqualTo(ScanRequest.DEFAULT_LIMIT).isEqualTo(100);
    assertThat(request.cursor()).isEmpty();
    assertThat(request.isDescending()).isFalse();
  }

  @Test
  void aRangeScan() {
    ScanRequest request = ScanRequest.range("a", "m");
    assertThat(request.prefix()).isEmpty();
    assertThat(request.from()).contains("a");
    assertThat(request.to()).contains("m");
    assertThat(ScanRequest.range("a", null).to()).isEmpty();
  }

  @Test
  void allIsTheEmptyPrefix() {
    assertThat(ScanRequest.all().prefix()).contains("");
  }

  @Test
  void withLimitRejectsNonPositiveLimits() {
    ScanRequest request = ScanRequest.all();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> request.withLimit(0))
        .withMessage("limit must be positive, was 0");
    assertThatIllegalArgumentException().isThrownBy(() -> request.withLimit(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> request.withLimit(Integer.MIN_VALUE));
    assertThat(request.withLimit(1).limit()).isEqualTo(1);
    assertThat(request.withLimit(Integer.MAX_VALUE).limit()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void withMethodsReturnCopiesAndKeepTheRest() {
    ScanRequest original = ScanRequest.range("a", "m");
    ScanRequest limited = original.withLimit(5);
    ScanRequest continued = limited.withCursor("cursor");
    ScanRequest descending = continued.descending();

    assertThat(original.limit()).isEqualTo(100);
    assertThat(original.cursor()).isEmpty();
    assertThat(original.isDescending()).isFalse();
    assertThat(limited).isNotSameAs(original);
    assertThat(limited.cursor()).isEmpty();
    assertThat(continued.limit()).isEqualTo(5);
    assertThat(continued.cursor()).contains("cursor");
    assertThat(continued.isDescending()).isFalse();
    assertThat(descending.isDescending()).isTrue();
    assertThat(descending.limit()).isEqualTo(5);
    assertThat(descending.cursor()).contains("cursor");
    assertThat(descending.from()).contains("a");
    assertThat(descending.to()).contains("m");
    assertThat(descending.withCursor("next").cursor()).contains("next");
    assertThat(descending.withCursor("next").isDescending()).isTrue();
  }

  @Test
  void rejectsNulls() {
    assertThatNullPointerException().isThrownBy(() -> ScanRequest.prefix(null));
    assertThatNullPointerException().isThrownBy(() -> ScanRequest.range(null, "b"));
    assertThatNullPointerException().isThrownBy(() -> ScanRequest.all().withCursor(null));
  }

  @Test
  void toStringShowsWhatIsScanned() {
    assertThat(ScanRequest.prefix("user/")).hasToString("ScanRequest{prefix=user/, limit=100}");
    assertThat(ScanRequest.range("a", null).withLimit(5))
        .hasToString("ScanRequest{from=a, to=null, limit=5}");
    assertThat(ScanRequest.range("a", "m").withCursor("AWI").descending())
        .hasToString("ScanRequest{from=a, to=m, limit=100, cursor=AWI, descending}");
  }
}

package dev.strata.api.spi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.UnicodeArbitraries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

class KeysTest {

  private static final String SUPPLEMENTARY = new String(Character.toChars(0x1F600)); // 😀
  private static final String MAX = new String(Character.toChars(Character.MAX_CODE_POINT));

  private static int utf8Order(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(UTF_8), b.getBytes(UTF_8));
  }

  // --- compare and ORDER ---

  @Property
  void compareIsTheUnsignedOrderOfUtf8Bytes(@ForAll("pairs") List<String> pair) {
    String a = pair.get(0);
    String b = pair.get(1);
    assertThat(Integer.signum(Keys.compare(a, b))).isEqualTo(Integer.signum(utf8Order(a, b)));
    assertThat(Integer.signum(Keys.ORDER.compare(a, b))).isEqualTo(Integer.signum(utf8Order(a, b)));
  }

  @Property
  void compareIsAntisymmetricAndZeroOnlyForEqualStrings(@ForAll("pairs") List<String> pair) {
    String a = pair.get(0);
    String b = pair.get(1);
    assertThat(Integer.signum(Keys.compare(a, b))).isEqualTo(-Integer.signum(Keys.compare(b, a)));
    assertThat(Keys.compare(a, b) == 0).isEqualTo(a.equals(b));
  }

  @Property(tries = 200)
  void sortingWithOrderSortsByUtf8Bytes(
      @ForAll @Size(max = 30) List<@From("strings") String> strings) {
    List<String> byOrder = new ArrayList<>(strings);
    byOrder.sort(Keys.ORDER);
    List<String> byBytes = new ArrayList<>(strings);
    byBytes.sort(KeysTest::utf8Order);
    assertThat(byOrder).isEqualTo(byBytes);
  }

  @Example
  void supplementaryCharactersSortAfterThePrivateUseAreaUnlikeStringCompareTo() {
    for (String bmp : List.of("\uE000", "\uF8FF", "\uFFFD", "\uFFFF")) {
      assertThat(bmp.compareTo(SUPPLEMENTARY)).as("UTF-16 order of %s", bmp).isPositive();
      assertThat(Keys.compare(bmp, SUPPLEMENTARY)).as("code point order of %s", bmp).isNegative();
      assertThat(Keys.compare(SUPPLEMENTARY, bmp)).isPositive();
    }
    assertThat(Keys.compare("\uD7FF", SUPPLEMENTARY)).isNegative();
    assertThat(Keys.compare("a" + SUPPLEMENTARY, "a\uFFFF")).isPositive();
    assertThat(Keys.compare(SUPPLEMENTARY, MAX)).isNegative();
  }

  @Example
  void aPrefixSortsBeforeItsExtensions() {
    assertThat(Keys.compare("ab", "abc")).isNegative();
    assertThat(Keys.compare("abc", "ab")).isPositive();
    assertThat(Keys.compare("", "a")).isNegative();
    assertThat(Keys.compare("", "")).isZero();
    assertThat(Keys.compare(SUPPLEMENTARY, SUPPLEMENTARY + "a")).isNegative();
  }

  // --- utf8 and utf8Length ---

  @Property
  void utf8LengthIsTheLengthOfTheEncoding(@ForAll("strings") String s) {
    assertThat(Keys.utf8Length(s)).isEqualTo(s.getBytes(UTF_8).length);
    assertThat(Keys.utf8(s)).isEqualTo(s.getBytes(UTF_8));
  }

  @Example
  void utf8LengthCountsOneToFourBytesPerCodePoint() {
    assertThat(Keys.utf8Length("")).isZero();
    assertThat(Keys.utf8Length("\u007F")).isEqualTo(1);
    assertThat(Keys.utf8Length("\u0080")).isEqualTo(2);
    assertThat(Keys.utf8Length("\u07FF")).isEqualTo(2);
    assertThat(Keys.utf8Length("\u0800")).isEqualTo(3);
    assertThat(Keys.utf8Length("\uFFFF")).isEqualTo(3);
    assertThat(Keys.utf8Length(SUPPLEMENTARY)).isEqualTo(4);
    assertThat(Keys.utf8Length(MAX)).isEqualTo(4);
    assertThat(Keys.utf8Length(new StringBuilder("a€"))).isEqualTo(4);
  }

  @Example
  void utf8LengthCountsThreeBytesForALoneSurrogate() {
    assertThat(Keys.utf8Length("\uD800")).isEqualTo(3);
    assertThat(Keys.utf8Length("\uDC00a")).isEqualTo(4);
    assertThat(Keys.utf8Length("\uD800a")).isEqualTo(4);
  }

  // --- prefixEnd(String) ---

  @Property
  void everyStringWithThePrefixSortsBeforeTheEnd(
      @ForAll("prefixes") String prefix, @ForAll("strings") String suffix) {
    String end = Keys.prefixEnd(prefix);
    if (end != null) {
      assertThat(Keys.compare(prefix + suffix, end)).isNegative();
    }
  }

  @Property
  void noStringAtOrAfterTheEndHasThePrefix(@ForAll("prefixAndProbe") List<String> prefixAndProbe) {
    String prefix = prefixAndProbe.get(0);
    String probe = prefixAndProbe.get(1);
    String end = Keys.prefixEnd(prefix);
    if (end != null && Keys.compare(probe, end) >= 0) {
      assertThat(probe).doesNotStartWith(prefix);
    }
  }

  @Property
  void everyStringBetweenThePrefixAndTheEndHasThePrefix(
      @ForAll("prefixAndProbe") List<String> prefixAndProbe) {
    // This makes the end the smallest bound: nothing without the prefix lies below it.
    String prefix = prefixAndProbe.get(0);
    String probe = prefixAndProbe.get(1);
    String end = Keys.prefixEnd(prefix);
    if (Keys.compare(probe, prefix) >= 0 && (end == null || Keys.compare(probe, end) < 0)) {
      assertThat(probe).startsWith(prefix);
    }
  }

  @Property
  void theEndIsValidUnicodeAndGreaterThanThePrefix(@ForAll("prefixes") String prefix) {
    String end = Keys.prefixEnd(prefix);
    if (end == null) {
      assertThat(prefix.codePoints()).containsOnly(Character.MAX_CODE_POINT);
    } else {
      assertThat(end.codePoints())
          .noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
      assertThat(Keys.compare(prefix, end)).isNegative();
      assertThat(new String(end.getBytes(UTF_8), UTF_8)).isEqualTo(end);
    }
  }

  @Example
  void prefixEndIncrementsTheLastCodePoint() {
    assertThat(Keys.prefixEnd("a")).isEqualTo("b");
    assertThat(Keys.prefixEnd("user/")).isEqualTo("user0");
    assertThat(Keys.prefixEnd("a\u007F")).isEqualTo("a\u0080");
    assertThat(Keys.prefixEnd("a\uFFFF")).isEqualTo("a" + new String(Character.toChars(0x10000)));
    assertThat(Keys.prefixEnd(SUPPLEMENTARY)).isEqualTo(new String(Character.toChars(0x1F601)));
  }

  @Example
  void prefixEndSkipsTheSurrogateGap() {
    assertThat(Keys.prefixEnd("\uD7FF")).isEqualTo("\uE000");
    assertThat(Keys.prefixEnd("x\uD7FF")).isEqualTo("x\uE000");
  }

  @Example
  void prefixEndCarriesPastTheLastCodePoint() {
    assertThat(Keys.prefixEnd("a" + MAX)).isEqualTo("b");
    assertThat(Keys.prefixEnd("a" + MAX + MAX)).isEqualTo("b");
    assertThat(Keys.prefixEnd("\uD7FF" + MAX)).isEqualTo("\uE000");
    assertThat(Keys.prefixEnd(MAX)).isNull();
    assertThat(Keys.prefixEnd(MAX + MAX)).isNull();
  }

  // --- prefixEnd(byte[]) ---

  @Example
  void bytePrefixEndIncrementsTheLastByteBelowFf() {
    assertThat(Keys.prefixEnd(new byte[] {1, 2})).containsExactly(1, 3);
    assertThat(Keys.prefixEnd(new byte[] {1, (byte) 0x7F})).containsExactly(1, (byte) 0x80);
    assertThat(Keys.prefixEnd(new byte[] {1, (byte) 0xFE})).containsExactly(1, (byte) 0xFF);
    assertThat(Keys.prefixEnd(new byte[] {1, (byte) 0xFF})).containsExactly(2);
    assertThat(Keys.prefixEnd(new byte[] {1, (byte) 0xFF, (byte) 0xFF})).containsExactly(2);
    assertThat(Keys.prefixEnd(new byte[] {(byte) 0xFF})).isNull();
    assertThat(Keys.prefixEnd(new byte[] {(byte) 0xFF, (byte) 0xFF})).isNull();
  }

  @Example
  void bytePrefixEndDoesNotChangeItsArgument() {
    byte[] prefix = {1, 2};
    Keys.prefixEnd(prefix);
    assertThat(prefix).containsExactly(1, 2);
  }

  @Property
  void bytePrefixEndBoundsExactlyTheByteStringsWithThePrefix(
      @ForAll("bytePrefixAndProbe") List<byte[]> prefixAndProbe) {
    byte[] prefix = prefixAndProbe.get(0);
    byte[] probe = prefixAndProbe.get(1);
    byte[] end = Keys.prefixEnd(prefix);
    boolean hasPrefix =
        probe.length >= prefix.length
            && Arrays.equals(probe, 0, prefix.length, prefix, 0, prefix.length);
    boolean inRange =
        Arrays.compareUnsigned(probe, prefix) >= 0
            && (end == null || Arrays.compareUnsigned(probe, end) < 0);
    assertThat(inRange).isEqualTo(hasPrefix);
  }

  // --- generators ---

  @Provide
  Arbitrary<String> strings() {
    return UnicodeArbitraries.strings(0, 12);
  }

  @Provide
  Arbitrary<String> prefixes() {
    // Short prefixes, often ending in U+10FFFF or U+D7FF, where the end must carry or skip.
    Arbitrary<String> tail =
        Arbitraries.of("", MAX, MAX + MAX, "\uD7FF", "\uFFFF", "\uD7FF" + MAX, "\u007F");
    return Combinators.combine(UnicodeArbitraries.strings(0, 4), tail)
        .as((head, t) -> head + t)
        .filter(p -> !p.isEmpty());
  }

  /** Two strings that often share a long common prefix, so that comparison goes deep. */
  @Provide
  Arbitrary<List<String>> pairs() {
    return Combinators.combine(
            UnicodeArbitraries.strings(0, 6),
            UnicodeArbitraries.strings(0, 4),
            UnicodeArbitraries.strings(0, 4))
        .as((common, a, b) -> List.of(common + a, common + b));
  }

  /**
   * A prefix, and a probe built from a piece of the prefix or of its end followed by anything, so
   * that probes land just below, at and just above both bounds.
   */
  @Provide
  Arbitrary<List<String>> prefixAndProbe() {
    return prefixes()
        .flatMap(
            prefix -> {
              String end = Keys.prefixEnd(prefix);
              List<String> bases = new ArrayList<>(List.of(prefix, ""));
              if (end != null) {
                bases.add(end);
              }
              Arbitrary<String> base = Arbitraries.of(bases);
              Arbitrary<Integer> cut = Arbitraries.integers().between(0, 2);
              return Combinators.combine(base, cut, UnicodeArbitraries.strings(0, 3))
                  .as((b, c, rest) -> List.of(prefix, dropCodePoints(b, c) + rest));
            });
  }

  @Provide
  Arbitrary<List<byte[]>> bytePrefixAndProbe() {
    Arbitrary<Byte> edgeBytes =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.<Integer, Arbitrary<Byte>>of(3, Arbitraries.bytes()),
                Tuple.<Integer, Arbitrary<Byte>>of(
                    2, Arbitraries.of((byte) 0xFF, (byte) 0x00, (byte) 0x7F))));
    Arbitrary<byte[]> prefix = edgeBytes.array(byte[].class).ofMinSize(1).ofMaxSize(4);
    return prefix.flatMap(
        p -> {
          byte[] end = Keys.prefixEnd(p);
          List<byte[]> bases = new ArrayList<>(List.of(p, new byte[0]));
          if (end != null) {
            bases.add(end);
          }
          return Combinators.combine(
                  Arbitraries.of(bases),
                  Arbitraries.integers().between(0, 2),
                  edgeBytes.array(byte[].class).ofMaxSize(3))
              .as(
                  (b, cut, rest) -> {
                    int keep = Math.max(0, b.length - cut);
                    byte[] probe = Arrays.copyOf(b, keep + rest.length);
                    System.arraycopy(rest, 0, probe, keep, rest.length);
                    return List.of(p, probe);
                  });
        });
  }

  private static String dropCodePoints(String s, int n) {
    int[] cps = s.codePoints().toArray();
    return new String(cps, 0, Math.max(0, cps.length - n));
  }
}

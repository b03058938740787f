package dev.strata.api;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Generators of valid Unicode text for property tests. Code points are spread over every UTF-8
 * length (1 to 4 bytes) and weighted towards the edges that matter for key order: U+E000..U+FFFF,
 * which UTF-16 sorts after the supplementary planes, and the ends of each range.
 */
public final class UnicodeArbitraries {
  private static final List<Integer> EDGES =
      List.of(
          0x01, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600,
          0x10FFFF);

  private static final List<Integer> EDGE_STRINGS =
      List.of(0x7F, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF);

  private UnicodeArbitraries() {}

  /**
   * Any code point that is not a surrogate and not U+0000.
   *
   * @return the generator
   */
  public static Arbitrary<Integer> codePoints() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(3, Arbitraries.integers().between(0x01, 0x7F)),
            Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
            Tuple.of(2, Arbitraries.integers().between(0x800, 0xD7FF)),
            Tuple.of(3, Arbitraries.integers().between(0xE000, 0xFFFF)),
            Tuple.of(3, Arbitraries.integers().between(0x10000, 0x10FFFF)),
            Tuple.of(2, Arbitraries.of(EDGES))));
  }

  /**
   * Valid strings of a number of code points.
   *
   * @param min the fewest code points
   * @param max the most code points
   * @return the generator
   */
  public static Arbitrary<String> strings(int min, int max) {
    // Few edge cases (the shortest string, or one edge character), so that properties with
    // several strings do not spend all their tries on combinations of edge cases.
    return codePoints()
        .list()
        .ofMinSize(min)
        .ofMaxSize(max)
        .map(UnicodeArbitraries::fromCodePoints)
        .edgeCases(
            config ->
                config.filter(
                    s ->
                        s.codePointCount(0, s.length()) <= Math.max(min, 1)
                            && s.codePoints().allMatch(EDGE_STRINGS::contains)));
  }

  /**
   * Valid keys of up to 16 code points (at most 64 bytes, well within every limit).
   *
   * @return the generator
   */
  public static Arbitrary<String> keys() {
    return strings(1, 16);
  }

  /**
   * A string made of code points.
   *
   * @param codePoints the code points
   * @return the string
   */
  public static String fromCodePoints(List<Integer> codePoints) {
    StringBuilder sb = new StringBuilder(codePoints.size() * 2);
    codePoints.forEach(sb::appendCodePoint);
    return sb.toString();
  }
}

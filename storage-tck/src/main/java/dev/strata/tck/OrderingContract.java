package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Capability;
import dev.strata.api.ScanRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Key order: unsigned UTF-8 bytes (code point order) on every backend, which differs from Java's
 * {@link String#compareTo} for characters outside the Basic Multilingual Plane and from the
 * collations of databases for case, accents and punctuation.
 */
abstract class OrderingContract extends ContractGroup {
  private static final String EMOJI = "\uD83D\uDE00"; // U+1F600, 4 bytes, surrogates in UTF-16
  private static final String PRIVATE_USE = "\uE000"; // sorts after surrogates in UTF-16
  private static final String REPLACEMENT = "\uFFFD";
  private static final String LAST_BMP = "\uFFFF";
  private static final String FIRST_SUPPLEMENTARY = "\uD800\uDC00"; // U+10000
  private static final String LAST_CODE_POINT = "\uDBFF\uDFFF"; // U+10FFFF
  private static final String CJK_EXTENSION_B = "\uD840\uDC00"; // U+20000

  private static final List<String> MIXED =
      List.of(
          "a",
          "B",
          "b",
          "Z",
          "_",
          "-",
          " ",
          "~",
          "a b",
          "ab",
          "a-b",
          "a_b",
          "A",
          "\u007F",
          "\u0080",
          "\u00E9",
          "e\u0301",
          "\u00DF",
          "ss",
          "\u07FF",
          "\u0800",
          "\u4E2D",
          "\u65E5\u672C",
          "\uD7FF",
          PRIVATE_USE,
          REPLACEMENT,
          LAST_BMP,
          FIRST_SUPPLEMENTARY,
          EMOJI,
          EMOJI + "a",
          CJK_EXTENSION_B,
          LAST_CODE_POINT);

  OrderingContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void aScanReturnsKeysInUtf8ByteOrder() {
    List<String> shuffled = new ArrayList<>(MIXED);
    Collections.shuffle(shuffled, new Random(7));
    putKeys(ns, shuffled.toArray(String[]::new));

    assertThat(scanKeys(ScanRequest.all())).containsExactlyElementsOf(sortedByUtf8(MIXED));
  }

  @Test
  void charactersAfterTheSurrogatesSortBeforeSupplementaryCharacters() {
    putKeys(ns, EMOJI, PRIVATE_USE, REPLACEMENT, LAST_BMP);

    assertThat(scanKeys(ScanRequest.all()))
        .containsExactly(PRIVATE_USE, REPLACEMENT, LAST_BMP, EMOJI);
  }

  @Test
  void pagesOfOneCrossTheSupplementaryBoundaryInOrder() {
    putKeys(ns, EMOJI, "\uD7FF", LAST_BMP, FIRST_SUPPLEMENTARY, PRIVATE_USE);

    assertThat(scanKeys(ScanRequest.all().withLimit(1)))
        .containsExactly("\uD7FF", PRIVATE_USE, LAST_BMP, FIRST_SUPPLEMENTARY, EMOJI);
  }

  @Test
  void rangeBoundsCompareByUtf8Bytes() {
    putKeys(ns, "\uD7FF", PRIVATE_USE, REPLACEMENT, LAST_BMP, EMOJI, CJK_EXTENSION_B);

    assertThat(scanKeys(ScanRequest.range(PRIVATE_USE, EMOJI)))
        .containsExactly(PRIVATE_USE, REPLACEMENT, LAST_BMP);
    assertThat(scanKeys(ScanRequest.range(LAST_BMP, null)))
        .containsExactly(LAST_BMP, EMOJI, CJK_EXTENSION_B);
    assertThat(scanKeys(ScanRequest.range(EMOJI, PRIVATE_USE))).isEmpty();
  }

  @Test
  void aPrefixEndingInTheLastBmpCharacterStopsBeforeSupplementaryCharacters() {
    putKeys(ns, "x" + LAST_BMP, "x" + LAST_BMP + EMOJI, "x" + LAST_BMP + "a", "x" + EMOJI, "y");

    assertThat(scanKeys(ScanRequest.prefix("x" + LAST_BMP)))
        .containsExactly("x" + LAST_BMP, "x" + LAST_BMP + "a", "x" + LAST_BMP + EMOJI);
  }

  @Test
  void aSupplementaryPrefixMatchesOnlyThatCharacter() {
    putKeys(ns, EMOJI, EMOJI + "a", EMOJI + EMOJI, "\uD83D\uDE01", LAST_BMP, LAST_CODE_POINT);

    assertThat(scanKeys(ScanRequest.prefix(EMOJI)))
        .containsExactly(EMOJI, EMOJI + "a", EMOJI + EMOJI);
    assertThat(scanKeys(ScanRequest.prefix(LAST_CODE_POINT))).containsExactly(LAST_CODE_POINT);
  }

  @Test
  void caseAccentsAndPunctuationSortByBytesNotByCollation() {
    putKeys(ns, "b", "B", "a", "A", "_a", "-a", " a", "\u00E9", "f", "\u00C9");

    assertThat(scanKeys(ScanRequest.all()))
        .containsExactly(" a", "-a", "A", "B", "_a", "a", "b", "f", "\u00C9", "\u00E9");
  }

  @Test
  void keysAreNeitherNormalizedNorFoldedNorTrimmed() {
    List<String> distinct =
        List.of("\u00E9", "e\u0301", "A", "a", "a ", " a", "\u00DF", "ss", "\uFB01", "fi");
    for (String key : distinct) {
      storage.put(ns, key, bytes("[" + key + "]"));
    }

    for (String key : distinct) {
      assertThat(valueOf(key)).as("value of %s", key).isEqualTo("[" + key + "]");
    }
    assertThat(scanKeys(ScanRequest.all())).containsExactlyElementsOf(sortedByUtf8(distinct));
  }

  @Test
  void aDescendingScanIsTheExactReverseOfUtf8Order() {
    assumeCapability(Capability.DESCENDING_SCAN);
    putKeys(ns, MIXED.toArray(String[]::new));

    List<String> expected = sortedByUtf8(MIXED);
    Collections.reverse(expected);
    assertThat(scanKeys(ScanRequest.all().withLimit(7).descending()))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void descendingPagesOverKeysThatArePrefixesOfOneAnotherAreTheExactReverse() {
    assumeCapability(Capability.DESCENDING_SCAN);
    Random random = new Random(7);
    List<String> keys = new ArrayList<>();
    while (keys.size() < 60) {
      int length = 1 + random.nextInt(5);
      StringBuilder key = new StringBuilder();
      while (key.length() < length) {
        key.append("ab".charAt(random.nextInt(2)));
      }
      if (!keys.contains(key.toString())) {
        keys.add(key.toString());
      }
    }
    putKeys(ns, keys.toArray(String[]::new));

    List<String> expected = sortedByUtf8(keys);
    Collections.reverse(expected);
    for (int limit : new int[] {1, 3, 60}) {
      assertThat(scanKeys(ScanRequest.all().withLimit(limit).descending()))
          .as("page size %d", limit)
          .containsExactlyElementsOf(expected);
    }
    List<String> underAb = new ArrayList<>(expected);
    underAb.removeIf(k -> !k.startsWith("ab"));
    assertThat(scanKeys(ScanRequest.prefix("ab").withLimit(2).descending()))
        .containsExactlyElementsOf(underAb);
    List<String> belowAba = new ArrayList<>(expected);
    belowAba.removeIf(k -> k.compareTo("aba") >= 0 || k.compareTo("ab") < 0);
    assertThat(scanKeys(ScanRequest.range("ab", "aba").withLimit(2).descending()))
        .containsExactlyElementsOf(belowAba);
  }

  @Test
  void aDescendingRangeComparesByUtf8Bytes() {
    assumeCapability(Capability.DESCENDING_SCAN);
    putKeys(ns, "\uD7FF", PRIVATE_USE, LAST_BMP, EMOJI, CJK_EXTENSION_B);

    assertThat(scanKeys(ScanRequest.range(PRIVATE_USE, CJK_EXTENSION_B).withLimit(1).descending()))
        .containsExactly(EMOJI, LAST_BMP, PRIVATE_USE);
  }
}

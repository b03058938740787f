package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Capability;
import dev.strata.api.Commit;
import dev.strata.api.CommitResult;
import dev.strata.api.Condition;
import dev.strata.api.ScanRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every character of a key, a prefix or a range bound is literal: no backend may give {@code :},
 * {@code /}, {@code %}, {@code _}, {@code \}, {@code *}, {@code ?}, brackets, braces, quotes, white
 * space or any other character a special meaning (SQL LIKE, glob, regex, path, separator).
 */
abstract class LiteralKeyContract extends ContractGroup {

  /** Keys that break stores which build queries, patterns or paths from them. */
  static final List<String> SPECIAL_KEYS =
      List.of(
          ":",
          "a:b",
          "::",
          "/",
          "a/b",
          "/a/",
          "../a",
          "%",
          "a%",
          "%%",
          "_",
          "a_",
          "\\",
          "a\\",
          "\\\\",
          "a\\%",
          "*",
          "a*",
          "?",
          "a?",
          "[",
          "]",
          "[ab]",
          "[^a]",
          "{",
          "}",
          "{a,b}",
          "'",
          "it's",
          "''",
          "\"",
          "\"q\"",
          "`",
          " ",
          "a b",
          " lead",
          "trail ",
          "\n",
          "line\nbreak",
          "\r\n",
          "\t",
          "tab\there",
          ".",
          "..",
          "^a$",
          "a|b",
          "(a)",
          "a+",
          "#",
          "$1",
          "&",
          "~",
          "!",
          "@",
          "=",
          ";",
          ",",
          "<a>",
          "\u007F",
          "\u0001",
          "\uD83D\uDE00",
          "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
          "\u4E2D\u6587",
          "\u65E5\u672C\u8A9E",
          "\uD55C\uAD6D\uC5B4",
          "\u0627\u0644\u0639\u0631\u0628\u064A\u0629",
          "\u200B",
          "\uFEFF",
          "\uFFFD",
          "NULL",
          "null",
          "-- comment",
          "'; DROP TABLE t; --");

  LiteralKeyContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void everySpecialKeyRoundTripsThroughPointOperations() {
    for (String key : SPECIAL_KEYS) {
      long version = storage.put(ns, key, bytes("[" + key + "]"));
      assertThat(storage.exists(ns, key)).as("exists %s", key).isTrue();
      assertThat(storage.get(ns, key).orElseThrow().key()).isEqualTo(key);
      assertThat(versionOf(key)).isEqualTo(version);
    }
    for (String key : SPECIAL_KEYS) {
      assertThat(valueOf(key)).as("value of key %s", key).isEqualTo("[" + key + "]");
    }
    assertThat(scanKeys(ScanRequest.all())).containsExactlyElementsOf(sortedByUtf8(SPECIAL_KEYS));
    for (String key : SPECIAL_KEYS) {
      assertThat(storage.delete(ns, key)).as("delete %s", key).isTrue();
    }
    assertThat(scanKeys(ScanRequest.all())).isEmpty();
  }

  @Test
  void specialKeysWorkInBatchesCountersAndCommits() {
    Map<String, Long> versions =
        storage.putMany(ns, Map.of("a%", bytes("1"), "a_", bytes("2"), "a*", bytes("3")));

    assertThat(storage.getMany(ns, List.of("a%", "ab", "a_", "a*", "a?")))
        .containsOnlyKeys("a%", "a_", "a*");
    assertThat(storage.increment(ns, "n:%_*", 5)).isEqualTo(5);
    CommitResult result =
        storage.commit(
            ns,
            Commit.builder()
                .require(Condition.versionIs("a%", versions.get("a%")))
                .put("a%", bytes("x"))
                .build());
    assertThat(result.committed()).isTrue();
    assertThat(storage.deleteMany(ns, List.of("a_", "a.", "a*"))).isEqualTo(2);
    assertThat(scanKeys(ScanRequest.all())).containsExactly("a%", "n:%_*");
  }

  @Test
  void pointReadsDoNotMatchPatterns() {
    putKeys(ns, "a%", "a_", "a*", "a?", "[ab]", "a.");

    for (String other : List.of("ab", "a", "abc", "a", "b", "[a]", "a\\%")) {
      assertThat(storage.get(ns, other)).as("get %s", other).isEmpty();
      assertThat(storage.exists(ns, other)).as("exists %s", other).isFalse();
      assertThat(storage.delete(ns, other)).as("delete %s", other).isFalse();
    }
    assertThat(scanKeys(ScanRequest.all())).hasSize(6);
  }

  @Test
  void aPercentInAPrefixIsLiteral() {
    putKeys(ns, "a", "ab", "abc", "a%", "a%b", "a%%", "b%");

    assertThat(scanKeys(ScanRequest.prefix("a%"))).containsExactly("a%", "a%%", "a%b");
    assertThat(scanKeys(ScanRequest.prefix("%"))).isEmpty();
  }

  @Test
  void anUnderscoreInAPrefixIsLiteral() {
    putKeys(ns, "a", "ab", "a_", "a_b", "aXb", "b_");

    assertThat(scanKeys(ScanRequest.prefix("a_"))).containsExactly("a_", "a_b");
    assertThat(scanKeys(ScanRequest.prefix("_"))).isEmpty();
  }

  @Test
  void anAsteriskAndAQuestionMarkInAPrefixAreLiteral() {
    putKeys(ns, "a", "ab", "a*", "a*c", "a?", "a?c", "abc");

    assertThat(scanKeys(ScanRequest.prefix("a*"))).containsExactly("a*", "a*c");
    assertThat(scanKeys(ScanRequest.prefix("a?"))).containsExactly("a?", "a?c");
    assertThat(scanKeys(ScanRequest.prefix("*"))).isEmpty();
  }

  @Test
  void bracketsAndBracesInAPrefixAreLiteral() {
    putKeys(ns, "a", "b", "ax", "[ab]", "[ab]x", "[a", "{a,b}", "{a,b}c", "a,b");

    assertThat(scanKeys(ScanRequest.prefix("[ab]"))).containsExactly("[ab]", "[ab]x");
    assertThat(scanKeys(ScanRequest.prefix("["))).containsExactly("[a", "[ab]", "[ab]x");
    assertThat(scanKeys(ScanRequest.prefix("{a,b}"))).containsExactly("{a,b}", "{a,b}c");
  }

  @Test
  void aBackslashInAPrefixIsLiteralAndEscapesNothing() {
    putKeys(ns, "a\\", "a\\%", "a\\_x", "a%", "a_", "ab", "a\\\\");

    assertThat(scanKeys(ScanRequest.prefix("a\\")))
        .containsExactly("a\\", "a\\%", "a\\\\", "a\\_x");
    assertThat(scanKeys(ScanRequest.prefix("a\\%"))).containsExactly("a\\%");
    assertThat(scanKeys(ScanRequest.prefix("a\\_"))).containsExactly("a\\_x");
  }

  @Test
  void regexMetacharactersInAPrefixAreLiteral() {
    putKeys(ns, "a.", "a.b", "ab", "a^", "a$", "a|b", "a", "b", "(a)", "a+", "aa");

    assertThat(scanKeys(ScanRequest.prefix("a."))).containsExactly("a.", "a.b");
    assertThat(scanKeys(ScanRequest.prefix("a|"))).containsExactly("a|b");
    assertThat(scanKeys(ScanRequest.prefix("a+"))).containsExactly("a+");
    assertThat(scanKeys(ScanRequest.prefix("(a"))).containsExactly("(a)");
  }

  @Test
  void quotesInAPrefixAreLiteral() {
    putKeys(ns, "it's", "it''s", "its", "\"q\"", "\"q", "q", "`q`");

    assertThat(scanKeys(ScanRequest.prefix("it'"))).containsExactly("it''s", "it's");
    assertThat(scanKeys(ScanRequest.prefix("\"q"))).containsExactly("\"q", "\"q\"");
    assertThat(scanKeys(ScanRequest.prefix("`"))).containsExactly("`q`");
  }

  @Test
  void whiteSpaceInAPrefixIsLiteral() {
    putKeys(ns, "a", "ab", "a b", "a  b", "a\tb", "a\nb", "a\r\nb", "a\u00A0b");

    assertThat(scanKeys(ScanRequest.prefix("a "))).containsExactly("a  b", "a b");
    assertThat(scanKeys(ScanRequest.prefix("a\t"))).containsExactly("a\tb");
    assertThat(scanKeys(ScanRequest.prefix("a\n"))).containsExactly("a\nb");
    assertThat(scanKeys(ScanRequest.prefix("a\r"))).containsExactly("a\r\nb");
  }

  @Test
  void separatorsInAPrefixAreLiteral() {
    putKeys(ns, "a", "a:", "a:b", "a::b", "a/", "a/b", "a.b", "ab", "a-b");

    assertThat(scanKeys(ScanRequest.prefix("a:"))).containsExactly("a:", "a::b", "a:b");
    assertThat(scanKeys(ScanRequest.prefix("a/"))).containsExactly("a/", "a/b");
    assertThat(scanKeys(ScanRequest.prefix("a::"))).containsExactly("a::b");
  }

  @Test
  void cjkAndEmojiPrefixesMatchWholeCharacters() {
    putKeys(ns, "\u4E2D", "\u4E2D\u6587", "\u4E2E", "\uD83D\uDE00x", "\uD83D\uDE01", "x");

    assertThat(scanKeys(ScanRequest.prefix("\u4E2D"))).containsExactly("\u4E2D", "\u4E2D\u6587");
    assertThat(scanKeys(ScanRequest.prefix("\uD83D\uDE00"))).containsExactly("\uD83D\uDE00x");
  }

  @Test
  void specialCharactersInRangeBoundsAreLiteral() {
    putKeys(ns, "a%", "a%z", "a&", "a^", "a_", "ab", "a*", "a");

    // bytes: '%' 0x25 < '&' 0x26 < '*' 0x2A < '^' 0x5E < '_' 0x5F < 'b' 0x62
    assertThat(scanKeys(ScanRequest.range("a%", "a_")))
        .containsExactly("a%", "a%z", "a&", "a*", "a^");
    assertThat(scanKeys(ScanRequest.range("a_", "a`"))).containsExactly("a_");
    assertThat(scanKeys(ScanRequest.range("a*", "a+"))).containsExactly("a*");
  }

  @Test
  void bracketsAndBackslashInRangeBoundsAreLiteral() {
    putKeys(ns, "Z", "[", "[x", "\\", "]", "^", "a");

    // bytes: 'Z' 0x5A < '[' 0x5B < '\' 0x5C < ']' 0x5D < '^' 0x5E
    assertThat(scanKeys(ScanRequest.range("[", "]"))).containsExactly("[", "[x", "\\");
    assertThat(scanKeys(ScanRequest.range("\\", "^"))).containsExactly("\\", "]");
  }

  @Test
  void aPrefixScanOfEverySpecialKeyFindsExactlyTheKeysStartingWithIt() {
    putKeys(ns, SPECIAL_KEYS.toArray(String[]::new));

    for (String prefix : SPECIAL_KEYS) {
      List<String> expected = new ArrayList<>();
      for (String key : sortedByUtf8(SPECIAL_KEYS)) {
        if (key.startsWith(prefix)) {
          expected.add(key);
        }
      }
      assertThat(scanKeys(ScanRequest.prefix(prefix)))
          .as("prefix %s", prefix)
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aDescendingScanOfSpecialKeysIsTheirOrderReversed() {
    assumeCapability(Capability.DESCENDING_SCAN);
    putKeys(ns, SPECIAL_KEYS.toArray(String[]::new));

    List<String> expected = sortedByUtf8(SPECIAL_KEYS);
    Collections.reverse(expected);
    assertThat(scanKeys(ScanRequest.all().withLimit(10).descending()))
        .containsExactlyElementsOf(expected);
    assertThat(scanKeys(ScanRequest.prefix("a").descending()))
        .containsExactlyElementsOf(expected.stream().filter(k -> k.startsWith("a")).toList());
  }
}

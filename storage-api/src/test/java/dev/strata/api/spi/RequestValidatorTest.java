package dev.strata.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Capability;
import dev.strata.api.Commit;
import dev.strata.api.Condition;
import dev.strata.api.InvalidRequestException;
import dev.strata.api.Limits;
import dev.strata.api.ScanRequest;
import dev.strata.api.UnsupportedCapabilityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {
  private static final String BACKEND = "test-backend";
  private static final String NS = "users";
  private static final String SUPPLEMENTARY = new String(Character.toChars(0x1F600));
  private static final String MAX = new String(Character.toChars(Character.MAX_CODE_POINT));

  private final RequestValidator validator = new RequestValidator(BACKEND, Limits.defaults());

  private static RequestValidator with(Limits.Builder limits) {
    return new RequestValidator(BACKEND, limits.build());
  }

  private static String repeat(String s, int times) {
    return s.repeat(times);
  }

  @Test
  void rejectsNullConstructorArguments() {
    assertThatNullPointerException()
        .isThrownBy(() -> new RequestValidator(null, Limits.defaults()))
        .withMessage("backend");
    assertThatNullPointerException()
        .isThrownBy(() -> new RequestValidator(BACKEND, null))
        .withMessage("limits");
  }

  @Test
  void exposesItsLimits() {
    Limits limits = Limits.builder().maxPageSize(7).build();
    assertThat(new RequestValidator(BACKEND, limits).limits()).isSameAs(limits);
  }

  @Nested
  class Namespaces {
    @ParameterizedTest
    @ValueSource(
        strings = {"a", "Z", "0", "_", ".", "-", "users", "tenant-42.cache_v2", "A.b-C_d.9"})
    void acceptsLettersDigitsUnderscoreDotAndDash(String namespace) {
      assertThatCode(() -> validator.namespace("get", namespace)).doesNotThrowAnyException();
      assertThatCode(() -> RequestValidator.checkNamespace(BACKEND, "get", namespace))
          .doesNotThrowAnyException();
    }

    @Test
    void acceptsEveryAllowedCharacter() {
      String all = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
      assertThat(all).hasSize(65);
      validator.namespace("get", all.substring(0, 64));
      validator.namespace("get", all.substring(1));
    }

    @Test
    void accepts64CharactersAndRejects65() {
      validator.namespace("get", repeat("n", RequestValidator.MAX_NAMESPACE_LENGTH));
      assertThatThrownBy(() -> validator.namespace("get", repeat("n", 65)))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("get")
          .hasMessageContaining(BACKEND)
          .hasMessageContaining("1 to 64 characters")
          .hasMessageContaining("65");
    }

    @Test
    void rejectsTheEmptyNamespace() {
      assertThatThrownBy(() -> validator.namespace("scan", ""))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("scan")
          .hasMessageContaining(BACKEND)
          .hasMessageContaining("has 0");
    }

    static Stream<Arguments> badNamespaces() {
      return Stream.of(
          Arguments.of("a b", "' '", 1),
          Arguments.of("a/b", "'/'", 1),
          Arguments.of("a:b", "':'", 1),
          Arguments.of("*", "'*'", 0),
          Arguments.of("users%", "'%'", 5),
          Arguments.of("caf\u00e9", "U+00E9", 3),
          Arguments.of("a\u0000", "U+0000", 1),
          Arguments.of("a\nb", "U+000A", 1),
          Arguments.of(SUPPLEMENTARY, "U+D83D", 0));
    }

    @ParameterizedTest
    @MethodSource("badNamespaces")
    void rejectsOtherCharactersNamingTheCharacterAndIndex(
        String namespace, String shown, int index) {
      assertThatThrownBy(() -> validator.namespace("put", namespace))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("put")
          .hasMessageContaining(BACKEND)
          .hasMessageContaining("[A-Za-z0-9_.-]")
          .hasMessageContaining(shown)
          .hasMessageContaining("at index " + index);
    }

    @Test
    void rejectsNull() {
      assertThatNullPointerException()
          .isThrownBy(() -> validator.namespace("get", null))
          .withMessage("namespace");
    }

    @Test
    void everyCheckValidatesTheNamespaceFirst() {
      assertThatThrownBy(() -> validator.key("get", "bad ns", "k"))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> validator.put("put", "bad ns", "k", new byte[0]))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> validator.keys("getMany", "bad ns", List.of("k")))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> validator.commit("commit", "bad ns", Commit.builder().build()))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> validator.scan("scan", "bad ns", ScanRequest.all(), true))
          .isInstanceOf(InvalidRequestException.class);
    }
  }

  @Nested
  class KeyText {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "k",
          "a:b/c%d_e\\f*g?h[i]j{k}l'm\"n o\no",
          "\u00e9",
          "\u20ac",
          "\uFFFF",
          "\uD83D\uDE00",
          "\uDBFF\uDFFF",
          " ",
          "\u0001"
        })
    void acceptsEveryOtherCharacter(String key) {
      assertThatCode(() -> validator.key("get", NS, key)).doesNotThrowAnyException();
    }

    @Test
    void rejectsTheEmptyKey() {
      assertThatThrownBy(() -> validator.key("get", NS, ""))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("get on namespace 'users' at backend 'test-backend': key is empty");
    }

    @Test
    void rejectsNul() {
      assertThatThrownBy(() -> validator.key("put", NS, "ab\u0000c"))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage(
              "put on namespace 'users' at backend 'test-backend': key contains U+0000 at index"
                  + " 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "a\uD83D", "\uD83Da", "\uDE00", "a\uDE00b", "\uDE00\uD83D"})
    void rejectsLoneSurrogates(String key) {
      assertThatThrownBy(() -> validator.key("get", NS, key))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("lone surrogate at index");
    }

    @Test
    void namesTheIndexOfTheLoneSurrogate() {
      assertThatThrownBy(() -> validator.key("get", NS, "ab\uD800"))
          .hasMessageEndingWith("key has a lone surrogate at index 2");
      assertThatThrownBy(() -> validator.key("get", NS, "ab" + SUPPLEMENTARY + "\uDC00"))
          .hasMessageEndingWith("key has a lone surrogate at index 4");
    }

    /** A key of exactly {@code limit} bytes whose last character has {@code width} bytes. */
    static Stream<Arguments> lastCharacterWidths() {
      return Stream.of(
          Arguments.of("a", 1), Arguments.of("\u00e9", 2),
          Arguments.of("\u20ac", 3), Arguments.of(SUPPLEMENTARY, 4));
    }

    @ParameterizedTest
    @MethodSource("lastCharacterWidths")
    void acceptsExactlyTheByteLimitWhateverTheWidthOfTheLastCharacter(String last, int width) {
      String key = repeat("a", Limits.MAX_KEY_BYTES - width) + last;
      assertThat(Keys.utf8Length(key)).isEqualTo(Limits.MAX_KEY_BYTES);
      assertThatCode(() -> validator.key("put", NS, key)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("lastCharacterWidths")
    void rejectsOneByteOverTheLimit(String last, int width) {
      String key = repeat("a", Limits.MAX_KEY_BYTES - width + 1) + last;
      assertThat(Keys.utf8Length(key)).isEqualTo(Limits.MAX_KEY_BYTES + 1);
      assertThatThrownBy(() -> validator.key("put", NS, key))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("put on namespace 'users' at backend 'test-backend'")
          .hasMessageContaining("has 1025 bytes in UTF-8, more than the limit of 1024");
    }

    @Test
    void countsBytesNotCharacters() {
      // 256 supplementary characters: 512 chars, 1024 bytes; one more is over.
      validator.key("put", NS, repeat(SUPPLEMENTARY, 256));
      assertThatThrownBy(() -> validator.key("put", NS, repeat(SUPPLEMENTARY, 257)))
          .isInstanceOf(InvalidRequestException.class);
      // 342 three-byte characters are 1026 bytes though only 342 chars.
      assertThatThrownBy(() -> validator.key("put", NS, repeat("\u20ac", 342)))
          .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void followsAConfiguredKeyLimit() {
      RequestValidator small = with(Limits.builder().maxKeyBytes(4));
      small.key("put", NS, SUPPLEMENTARY);
      small.key("put", NS, "abcd");
      assertThatThrownBy(() -> small.key("put", NS, "a" + SUPPLEMENTARY))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("has 5 bytes in UTF-8, more than the limit of 4");
    }

    @Test
    void abbreviatesALongKeyInTheMessage() {
      String key = repeat("k", 2000);
      assertThatThrownBy(() -> validator.key("put", NS, key))
          .hasMessageContaining("'" + repeat("k", 48) + "...'")
          .hasMessageNotContaining(repeat("k", 49));
    }

    @Test
    void rejectsNull() {
      assertThatNullPointerException()
          .isThrownBy(() -> validator.key("get", NS, null))
          .withMessage("key");
    }
  }

  @Nested
  class Values {
    private final RequestValidator small = with(Limits.builder().maxValueBytes(16));

    @Test
    void acceptsValuesUpToTheLimitIncludingEmpty() {
      small.put("put", NS, "k", new byte[0]);
      small.put("put", NS, "k", new byte[16]);
    }

    @Test
    void rejectsOneByteOverTheLimit() {
      assertThatThrownBy(() -> small.put("put", NS, "k", new byte[17]))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage(
              "put on namespace 'users' at backend 'test-backend': value of key 'k' has 17 bytes,"
                  + " more than the limit of 16");
    }

    @Test
    void enforcesTheDefaultLimitOf8MiB() {
      validator.put("put", NS, "k", new byte[Limits.DEFAULT_MAX_VALUE_BYTES]);
      assertThatThrownBy(
              () -> validator.put("put", NS, "k", new byte[Limits.DEFAULT_MAX_VALUE_BYTES + 1]))
          .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aZeroLimitAllowsOnlyEmptyValues() {
      RequestValidator none = with(Limits.builder().maxValueBytes(0));
      none.put("put", NS, "k", new byte[0]);
      assertThatThrownBy(() -> none.put("put", NS, "k", new byte[1]))
          .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void checksTheKeyToo() {
      assertThatThrownBy(() -> validator.put("put", NS, "", new byte[0]))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageEndingWith("key is empty");
    }

    @Test
    void rejectsNull() {
      assertThatNullPointerException()
          .isThrownBy(() -> validator.put("put", NS, "k", null))
          .withMessage("value");
    }
  }

  @Nested
  class TimesToLive {
    @Test
    void acceptsTheBounds() {
      validator.ttl("put", NS, Limits.MIN_TTL);
      validator.ttl("put", NS, Duration.ofMillis(1));
      validator.ttl("put", NS, Duration.ofHours(1));
      validator.ttl("put", NS, Limits.MAX_TTL);
    }

    static Stream<Duration> outOfRange() {
      return Stream.of(
          Duration.ZERO,
          Duration.ofMillis(-1),
          Duration.ofSeconds(-5),
          Limits.MIN_TTL.minusNanos(1),
          Limits.MAX_TTL.plusNanos(1),
          Limits.MAX_TTL.plusDays(1));
    }

    @ParameterizedTest
    @MethodSource("outOfRange")
    void rejectsValuesOutOfRange(Duration ttl) {
      assertThatThrownBy(() -> validator.ttl("put", NS, ttl))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage(
              "put on namespace 'users' at backend 'test-backend': ttl must be from 1 ms to 36500"
                  + " days, was "
                  + ttl);
    }

    @Test
    void rejectsNull() {
      assertThatNullPointerException()
          .isThrownBy(() -> validator.ttl("put", NS, null))
          .withMessage("ttl");
    }
  }

  @Nested
  class Batches {
    private final RequestValidator small = with(Limits.builder().maxBatchSize(3));

    @Test
    void acceptsUpToTheBatchSizeIncludingNone() {
      small.keys("getMany", NS, List.of());
      small.keys("getMany", NS, List.of("a", "b", "c"));
    }

    @Test
    void rejectsOneOverTheBatchSize() {
      assertThatThrownBy(() -> small.keys("getMany", NS, List.of("a", "b", "c", "d")))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage(
              "getMany on namespace 'users' at backend 'test-backend': batch has 4 items, more"
                  + " than the limit of 3");
    }

    @Test
    void enforcesTheDefaultBatchSize() {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < Limits.DEFAULT_MAX_BATCH_SIZE; i++) {
        keys.add("k" + i);
      }
      validator.keys("getMany", NS, keys);
      keys.add("one-more");
      assertThatThrownBy(() -> validator.keys("getMany", NS, keys))
          .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void checksEveryKey() {
      assertThatThrownBy(() -> small.keys("deleteMany", NS, List.of("a", "b\u0000")))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("deleteMany")
          .hasMessageContaining("U+0000");
      assertThatThrownBy(() -> small.keys("deleteMany", NS, List.of("a", "")))
          .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void rejectsNulls() {
      assertThatNullPointerException().isThrownBy(() -> small.keys("getMany", NS, null));
      assertThatNullPointerException()
          .isThrownBy(() -> small.keys("getMany", NS, Arrays.asList("a", null)));
    }
  }

  @Nested
  class Commits {
    private final RequestValidator small = with(Limits.builder().maxBatchSize(2).maxValueBytes(4));

    @Test
    void acceptsAValidCommit() {
      Commit commit =
          Commit.builder()
              .require(Condition.versionIs("a", 3))
              .require(Condition.absent("b"))
              .put("a", new byte[4])
              .put("b", new byte[0], Duration.ofMinutes(1))
              .build();
      assertThatCode(() -> small.commit("commit", NS, commit)).doesNotThrowAnyException();
    }

    @Test
    void acceptsAnEmptyCommitAndConditionsOnMutatedKeys() {
      small.commit("commit", NS, Commit.builder().build());
      small.commit(
          "commit",
          NS,
          Commit.builder()
              .require(Condition.present("a"))
              .delete("a")
              .put("b", new byte[1])
              .build());
    }

    @Test
    void rejectsAKeyMutatedTwice() {
      Commit twoPuts = Commit.builder().put("a", new byte[1]).put("a", new byte[2]).build();
      assertThatThrownBy(() -> small.commit("commit", NS, twoPuts))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage(
              "commit on namespace 'users' at backend 'test-backend': key 'a' is mutated twice");
      Commit putAndDelete = Commit.builder().put("a", new byte[1]).delete("a").build();
      assertThatThrownBy(() -> small.commit("commit", NS, putAndDelete))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("mutated twice");
      Commit twoDeletes = Commit.builder().delete("a").delete("a").build();
      assertThatThrownBy(() -> small.commit("commit", NS, twoDeletes))
          .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void rejectsTooManyMutations() {
      Commit commit = Commit.builder().delete("a").delete("b").delete("c").build();
      assertThatThrownBy(() -> small.commit("commit", NS, commit))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("batch has 3 items, more than the limit of 2");
    }

    @Test
    void rejectsTooManyConditions() {
      Commit commit =
          Commit.builder()
              .require(Condition.absent("a"))
              .require(Condition.absent("b"))
              .require(Condition.absent("c"))
              .build();
      assertThatThrownBy(() -> small.commit("commit", NS, commit))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("batch has 3 items");
    }

    @Test
    void rejectsAnOversizedValueInside() {
      Commit commit = Commit.builder().put("a", new byte[1]).put("b", new byte[5]).build();
      assertThatThrownBy(() -> small.commit("putMany", NS, commit))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage(
              "putMany on namespace 'users' at backend 'test-backend': value of key 'b' has 5"
                  + " bytes, more than the limit of 4");
    }

    @Test
    void rejectsAnInvalidTtlInside() {
      Commit commit = Commit.builder().put("a", new byte[1], Duration.ZERO).build();
      assertThatThrownBy(() -> small.commit("commit", NS, commit))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("ttl must be");
    }

    @Test
    void rejectsInvalidKeysInMutationsAndConditions() {
      assertThatThrownBy(
              () -> small.commit("commit", NS, Commit.builder().put("", new byte[0]).build()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageEndingWith("key is empty");
      assertThatThrownBy(
              () ->
                  small.commit(
                      "commit", NS, Commit.builder().require(Condition.absent("\uD800")).build()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("lone surrogate");
      assertThatThrownBy(
              () -> small.commit("commit", NS, Commit.builder().delete("a\u0000").build()))
          .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void rejectsNull() {
      assertThatNullPointerException()
          .isThrownBy(() -> small.commit("commit", NS, null))
          .withMessage("commit");
    }
  }

  @Nested
  class Scans {
    @Test
    void aPrefixBecomesARangeUpToItsEnd() {
      KeyRange range = validator.scan("scan", NS, ScanRequest.prefix("user/").withLimit(10), false);
      assertThat(range).isEqualTo(new KeyRange("user/", true, Optional.of("user0"), 10, false));
    }

    @Test
    void theEmptyPrefixScansEverything() {
      KeyRange range = validator.scan("scan", NS, ScanRequest.all(), false);
      assertThat(range)
          .isEqualTo(new KeyRange("", true, Optional.empty(), ScanRequest.DEFAULT_LIMIT, false));
      assertThat(validator.scan("scan", NS, ScanRequest.prefix(""), false)).isEqualTo(range);
    }

    @Test
    void aPrefixOfTheLastCodePointsHasNoUpperBound() {
      KeyRange range = validator.scan("scan", NS, ScanRequest.prefix(MAX + MAX), false);
      assertThat(range.lower()).isEqualTo(MAX + MAX);
      assertThat(range.upper()).isEmpty();
      assertThat(validator.scan("scan", NS, ScanRequest.prefix("a" + MAX), false).upper())
          .contains("b");
      assertThat(validator.scan("scan", NS, ScanRequest.prefix("\uD7FF"), false).upper())
          .contains("\uE000");
    }

    @Test
    void aRangeKeepsItsBounds() {
      assertThat(validator.scan("scan", NS, ScanRequest.range("b", "m"), false))
          .isEqualTo(new KeyRange("b", true, Optional.of("m"), ScanRequest.DEFAULT_LIMIT, false));
      assertThat(validator.scan("scan", NS, ScanRequest.range("", null), false))
          .isEqualTo(new KeyRange("", true, Optional.empty(), ScanRequest.DEFAULT_LIMIT, false));
    }

    @Test
    void rejectsInvalidPrefixesAndBounds() {
      assertThatThrownBy(() -> validator.scan("scan", NS, ScanRequest.prefix("a\u0000"), false))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageEndingWith("prefix contains U+0000 at index 1");
      assertThatThrownBy(() -> validator.scan("scan", NS, ScanRequest.range("\uD800", "b"), false))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("range start has a lone surrogate");
      assertThatThrownBy(() -> validator.scan("scan", NS, ScanRequest.range("a", "\uDC00"), false))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("range end has a lone surrogate");
      assertThatThrownBy(
              () -> validator.scan("scan", NS, ScanRequest.prefix(repeat("p", 1025)), false))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("more than the limit of 1024");
    }

    @Test
    void acceptsPageSizesUpToTheLimit() {
      RequestValidator small = with(Limits.builder().maxPageSize(50));
      assertThat(small.scan("scan", NS, ScanRequest.all().withLimit(50), false).limit())
          .isEqualTo(50);
      assertThatThrownBy(() -> small.scan("scan", NS, ScanRequest.all().withLimit(51), false))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage(
              "scan on namespace 'users' at backend 'test-backend': page size must be at most 50,"
                  + " was 51");
    }

    @Test
    void descendingScansNeedTheCapability() {
      ScanRequest request = ScanRequest.prefix("a").descending();
      assertThatThrownBy(() -> validator.scan("scan", NS, request, false))
          .isInstanceOfSatisfying(
              UnsupportedCapabilityException.class,
              e -> assertThat(e.capability()).isEqualTo(Capability.DESCENDING_SCAN))
          .hasMessage(
              "scan on namespace 'users' at backend 'test-backend': descending scans are not"
                  + " supported");
      KeyRange range = validator.scan("scan", NS, request, true);
      assertThat(range.descending()).isTrue();
      assertThat(range.lower()).isEqualTo("a");
      assertThat(range.upper()).contains("b");
    }

    @Test
    void anAscendingCursorRaisesTheLowerBoundExclusively() {
      ScanRequest request = ScanRequest.prefix("user/").withCursor(Cursors.after("user/17"));
      KeyRange range = validator.scan("scan", NS, request, false);
      assertThat(range).isEqualTo(new KeyRange("user/17", false, Optional.of("user0"), 100, false));
      assertThat(range.contains("user/17")).isFalse();
      assertThat(range.contains("user/18")).isTrue();
    }

    @Test
    void anAscendingCursorBelowTheLowerBoundIsIgnored() {
      ScanRequest request = ScanRequest.range("m", "z").withCursor(Cursors.after("a"));
      assertThat(validator.scan("scan", NS, request, false))
          .isEqualTo(new KeyRange("m", true, Optional.of("z"), 100, false));
    }

    @Test
    void anAscendingCursorAtOrPastTheUpperBoundGivesAnEmptyRange() {
      ScanRequest request = ScanRequest.range("a", "m").withCursor(Cursors.after("m"));
      assertThat(validator.scan("scan", NS, request, false).isEmpty()).isTrue();
    }

    @Test
    void aDescendingCursorLowersTheUpperBound() {
      ScanRequest request =
          ScanRequest.prefix("user/").descending().withCursor(Cursors.after("user/17"));
      assertThat(validator.scan("scan", NS, request, true))
          .isEqualTo(new KeyRange("user/", true, Optional.of("user/17"), 100, true));
      ScanRequest unbounded = ScanRequest.all().descending().withCursor(Cursors.after("k"));
      assertThat(validator.scan("scan", NS, unbounded, true).upper()).contains("k");
    }

    @Test
    void aDescendingCursorAboveTheUpperBoundIsIgnored() {
      ScanRequest request = ScanRequest.range("a", "m").descending().withCursor(Cursors.after("x"));
      assertThat(validator.scan("scan", NS, request, true).upper()).contains("m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!!", "not a cursor", "AA", "AQ", "AmE", "Af8", "Ae2ggA", "AgE="})
    void rejectsCursorsNoScanMade(String cursor) {
      ScanRequest request = ScanRequest.all().withCursor(cursor);
      assertThatThrownBy(() -> validator.scan("scan", NS, request, false))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage(
              "scan on namespace 'users' at backend 'test-backend': cursor was not made by a"
                  + " scan");
    }

    @Test
    void chainsTheCauseOfABadCursor() {
      ScanRequest request = ScanRequest.all().withCursor("!!!");
      assertThatThrownBy(() -> validator.scan("scan", NS, request, false))
          .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsWellFormedCursorsNamingSomethingNoScanReturns() {
      for (String cursor :
          List.of(
              Cursors.after("a\u0000b"), Cursors.after(repeat("k", Limits.MAX_KEY_BYTES + 1)))) {
        ScanRequest request = ScanRequest.all().withCursor(cursor);
        assertThatThrownBy(() -> validator.scan("scan", NS, request, false))
            .isInstanceOf(InvalidRequestException.class)
            .hasMessageEndingWith("cursor was not made by a scan");
      }
    }

    @Test
    void rejectsNull() {
      assertThatNullPointerException()
          .isThrownBy(() -> validator.scan("scan", NS, null, false))
          .withMessage("request");
    }
  }

  @Nested
  class Messages {
    @Test
    void contextNamesOperationNamespaceAndBackend() {
      assertThat(validator.context("put", "users"))
          .isEqualTo("put on namespace 'users' at backend 'test-backend'");
      assertThat(validator.context("health", null)).isEqualTo("health at backend 'test-backend'");
    }

    @Test
    void invalidMakesAnExceptionWithTheContext() {
      InvalidRequestException e = validator.invalid("increment", "counters", "not a counter");
      assertThat(e)
          .hasMessage("increment on namespace 'counters' at backend 'test-backend': not a counter");
      assertThat(e.isRetryable()).isFalse();
    }
  }
}

package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Capability;
import dev.strata.api.Entry;
import dev.strata.api.InvalidRequestException;
import dev.strata.api.Page;
import dev.strata.api.ScanRequest;
import dev.strata.api.UnsupportedCapabilityException;
import dev.strata.api.spi.Cursors;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Scans: prefix and range {@code [from, to)}, ascending and (where capable) descending, in pages of
 * bounded size joined by opaque cursors, with keyset pagination.
 */
abstract class ScanContract extends ContractGroup {

  ScanContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void aPrefixScanReturnsOnlyKeysWithThePrefixInOrder() {
    putKeys(ns, "user/2", "user/10", "user/1", "user", "users/1", "usr/1", "a", "user/1/x");

    assertThat(scanKeys(ScanRequest.prefix("user/")))
        .containsExactly("user/1", "user/1/x", "user/10", "user/2");
  }

  @Test
  void aPrefixMatchesTheKeyEqualToIt() {
    putKeys(ns, "ab", "abc", "a", "b");

    assertThat(scanKeys(ScanRequest.prefix("ab"))).containsExactly("ab", "abc");
  }

  @Test
  void theEmptyPrefixScansTheWholeNamespace() {
    putKeys(ns, "c", "a", "b");

    assertThat(scanKeys(ScanRequest.prefix(""))).containsExactly("a", "b", "c");
    assertThat(scanKeys(ScanRequest.all())).containsExactly("a", "b", "c");
  }

  @Test
  void aRangeIsHalfOpen() {
    putKeys(ns, "a", "b", "c", "d", "e");

    assertThat(scanKeys(ScanRequest.range("b", "d"))).containsExactly("b", "c");
  }

  @Test
  void rangeBoundsNeedNotBeKeys() {
    putKeys(ns, "a", "b", "c", "d");

    assertThat(scanKeys(ScanRequest.range("aa", "cc"))).containsExactly("b", "c");
    assertThat(scanKeys(ScanRequest.range("", "b"))).containsExactly("a");
  }

  @Test
  void aRangeWithoutUpperBoundRunsToTheEnd() {
    putKeys(ns, "a", "b", "c", "\uD83D\uDE00");

    assertThat(scanKeys(ScanRequest.range("b", null))).containsExactly("b", "c", "\uD83D\uDE00");
    assertThat(scanKeys(ScanRequest.range("", null))).hasSize(4);
  }

  @Test
  void aRangeFromAfterToIsEmpty() {
    putKeys(ns, "a", "b", "c", "d");

    assertThat(scanKeys(ScanRequest.range("c", "b"))).isEmpty();
    assertThat(scanKeys(ScanRequest.range("b", "b"))).isEmpty();
    Page page = storage.scan(ns, ScanRequest.range("d", "a"));
    assertThat(page.entries()).isEmpty();
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void aScanOfAnEmptyNamespaceIsOneEmptyPage() {
    Page page = storage.scan(ns, ScanRequest.all());

    assertThat(page.entries()).isEmpty();
    assertThat(page.nextCursor()).isEmpty();
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void pagesFollowCursorsAndReturnEveryKeyOnce() {
    List<String> keys = numbered(25);
    putKeys(ns, keys.toArray(String[]::new));

    List<Page> pages = pages(ns, ScanRequest.all().withLimit(10));

    assertThat(pages.get(0).entries()).hasSize(10);
    assertThat(pages.get(0).nextCursor()).isPresent();
    assertThat(pages.get(1).entries()).hasSize(10);
    assertThat(pages.stream().flatMap(p -> keysOf(p).stream()).toList())
        .containsExactlyElementsOf(keys);
    assertThat(pages.get(pages.size() - 1).nextCursor()).isEmpty();
  }

  @Test
  void aPageSizeThatDividesTheCountExactlyEndsCleanly() {
    List<String> keys = numbered(20);
    putKeys(ns, keys.toArray(String[]::new));

    List<Page> pages = pages(ns, ScanRequest.all().withLimit(10));

    assertThat(pages).hasSizeBetween(2, 3);
    assertThat(pages.get(0).entries()).hasSize(10);
    assertThat(pages.get(1).entries()).hasSize(10);
    if (pages.size() == 3) {
      assertThat(pages.get(2).entries()).isEmpty();
    }
    assertThat(pages.get(pages.size() - 1).nextCursor()).isEmpty();
    assertThat(pages.stream().flatMap(p -> keysOf(p).stream()).toList())
        .containsExactlyElementsOf(keys);
  }

  @Test
  void aPageWithFewerKeysThanItsLimitIsTheLast() {
    putKeys(ns, "a", "b", "c");

    Page page = storage.scan(ns, ScanRequest.all().withLimit(5));

    assertThat(keysOf(page)).containsExactly("a", "b", "c");
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void pagesOfOneEntryWalkTheWholeScan() {
    putKeys(ns, "p/a", "p/b", "p/c", "q");

    List<Page> pages = pages(ns, ScanRequest.prefix("p/").withLimit(1));

    assertThat(pages.stream().flatMap(p -> keysOf(p).stream()).toList())
        .containsExactly("p/a", "p/b", "p/c");
    assertThat(pages).allSatisfy(p -> assertThat(p.entries()).hasSizeLessThanOrEqualTo(1));
  }

  @Test
  void aRangeScanPagesStopAtTheUpperBound() {
    List<String> keys = numbered(30);
    putKeys(ns, keys.toArray(String[]::new));

    List<String> scanned = scanKeys(ScanRequest.range("k05", "k17").withLimit(4));

    assertThat(scanned).containsExactlyElementsOf(keys.subList(5, 17));
  }

  @Test
  void aPageSizeAtTheLimitIsAccepted() {
    putKeys(ns, "a", "b");

    Page page = storage.scan(ns, ScanRequest.all().withLimit(limits().maxPageSize()));

    assertThat(keysOf(page)).containsExactly("a", "b");
  }

  @Test
  void aPageSizeOverTheLimitIsRejected() {
    putKeys(ns, "a");
    int over = limits().maxPageSize() + 1;

    assertThatThrownBy(() -> storage.scan(ns, ScanRequest.all().withLimit(over)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> storage.scanAll(ns, ScanRequest.range("a", "b").withLimit(over)))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aCursorThatNoScanMadeIsRejected() {
    putKeys(ns, "a", "b");
    String notBase64 = "not a cursor!";
    String wrongFormat =
        Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {(byte) 0x7F, 'a'});
    String notUtf8 =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(new byte[] {1, (byte) 0xC3, (byte) 0x28});

    for (String cursor : List.of(notBase64, "", wrongFormat, notUtf8)) {
      assertThatThrownBy(() -> storage.scan(ns, ScanRequest.all().withCursor(cursor)))
          .as("cursor '%s'", cursor)
          .isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void aCursorResumesStrictlyAfterTheLastKeyOfItsPage() {
    putKeys(ns, "a", "b", "c", "d");
    Page first = storage.scan(ns, ScanRequest.all().withLimit(2));

    assertThat(keysOf(first)).containsExactly("a", "b");
    storage.delete(ns, "b");
    putKeys(ns, "b0", "a0");
    Page second =
        storage.scan(ns, ScanRequest.all().withLimit(2).withCursor(first.nextCursor().get()));

    assertThat(keysOf(second)).containsExactly("b0", "c");
  }

  @Test
  void aCursorIsTheSameFormatOnEveryBackend() {
    putKeys(ns, "a", "b", "c");

    Page page = storage.scan(ns, ScanRequest.all().withLimit(10).withCursor(Cursors.after("a")));

    assertThat(keysOf(page)).containsExactly("b", "c");
  }

  @Test
  void aCursorAfterTheLongestKeyWorks() {
    String longest = repeat('k', limits().maxKeyBytes());
    String shorter = repeat('k', limits().maxKeyBytes() - 1);
    putKeys(ns, shorter, longest, "z");

    List<String> keys = scanKeys(ScanRequest.all().withLimit(1));

    assertThat(keys).containsExactly(shorter, longest, "z");
  }

  @Test
  void scannedEntriesCarryTheirValuesAndVersions() {
    long version = storage.put(ns, "k", bytes("value"));

    Entry entry = storage.scan(ns, ScanRequest.prefix("k")).entries().get(0);

    assertThat(entry.version()).isEqualTo(version);
    assertThat(text(entry)).isEqualTo("value");
    assertThat(entry).isEqualTo(storage.get(ns, "k").orElseThrow());
  }

  @Test
  void scanAllStreamsEveryPage() {
    List<String> keys = numbered(23);
    putKeys(ns, keys.toArray(String[]::new));

    List<String> streamed =
        storage.scanAll(ns, ScanRequest.all().withLimit(4)).map(Entry::key).toList();

    assertThat(streamed).containsExactlyElementsOf(keys);
  }

  @Test
  void scanAllReadsPagesLazily() {
    List<String> keys = numbered(10);
    putKeys(ns, keys.toArray(String[]::new));

    Iterator<Entry> stream = storage.scanAll(ns, ScanRequest.all().withLimit(2)).iterator();
    List<String> seen = new ArrayList<>();
    seen.add(stream.next().key());
    seen.add(stream.next().key());
    storage.deleteMany(ns, keys.subList(2, 8));
    stream.forEachRemaining(e -> seen.add(e.key()));

    assertThat(seen).containsExactly("k00", "k01", "k08", "k09");
  }

  @Test
  void aDescendingScanReturnsKeysInReverseOrder() {
    assumeCapability(Capability.DESCENDING_SCAN);
    List<String> keys = numbered(13);
    putKeys(ns, keys.toArray(String[]::new));
    putKeys(ns, "other");

    List<String> descending = scanKeys(ScanRequest.prefix("k").withLimit(5).descending());

    List<String> expected = new ArrayList<>(keys);
    Collections.reverse(expected);
    assertThat(descending).containsExactlyElementsOf(expected);
  }

  @Test
  void aDescendingRangeScanIsStillHalfOpen() {
    assumeCapability(Capability.DESCENDING_SCAN);
    putKeys(ns, "a", "b", "c", "d", "e");

    assertThat(scanKeys(ScanRequest.range("b", "e").withLimit(2).descending()))
        .containsExactly("d", "c", "b");
    assertThat(scanKeys(ScanRequest.range("c", null).descending())).containsExactly("e", "d", "c");
  }

  @Test
  void aDescendingCursorResumesStrictlyBeforeTheLastKeyOfItsPage() {
    assumeCapability(Capability.DESCENDING_SCAN);
    putKeys(ns, "a", "b", "c", "d");
    ScanRequest request = ScanRequest.all().withLimit(2).descending();
    Page first = storage.scan(ns, request);

    assertThat(keysOf(first)).containsExactly("d", "c");
    storage.delete(ns, "c");
    putKeys(ns, "c0", "b0");
    Page second = storage.scan(ns, request.withCursor(first.nextCursor().get()));

    assertThat(keysOf(second)).containsExactly("b0", "b");
  }

  @Test
  void aDescendingScanIsServedExactlyWhenTheCapabilityIsDeclared() {
    putKeys(ns, "a", "b");

    if (has(Capability.DESCENDING_SCAN)) {
      assertThat(scanKeys(ScanRequest.all().descending())).containsExactly("b", "a");
    } else {
      assertThatThrownBy(() -> storage.scan(ns, ScanRequest.all().descending()))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .satisfies(
              e ->
                  assertThat(((UnsupportedCapabilityException) e).capability())
                      .isEqualTo(Capability.DESCENDING_SCAN));
    }
  }

  @Test
  void keysAddedAheadOfTheCursorAppearAndKeysBehindItDoNot() {
    putKeys(ns, "b", "d", "f", "h");
    ScanRequest request = ScanRequest.all().withLimit(2);
    Page first = storage.scan(ns, request);

    putKeys(ns, "a", "c", "e", "g");
    List<String> rest = new ArrayList<>();
    Page page = storage.scan(ns, request.withCursor(first.nextCursor().get()));
    rest.addAll(keysOf(page));
    while (page.nextCursor().isPresent()) {
      page = storage.scan(ns, request.withCursor(page.nextCursor().get()));
      rest.addAll(keysOf(page));
    }

    assertThat(keysOf(first)).containsExactly("b", "d");
    assertThat(rest).containsExactly("e", "f", "g", "h");
  }

  static List<String> numbered(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> String.format("k%02d", i))
        .collect(Collectors.toList());
  }
}

package dev.strata.tck;

import dev.strata.api.Capability;
import dev.strata.api.Entry;
import dev.strata.api.Limits;
import dev.strata.api.Page;
import dev.strata.api.ScanRequest;
import dev.strata.api.Storage;
import dev.strata.api.spi.Keys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The invariants every store keeps, checked after each contract test in the namespaces it used, in
 * the manner of Caffeine's {@code CacheValidationInterceptor}. Cheap: one full scan per namespace
 * and point reads of a sample.
 */
final class StoreInvariants {
  private static final int MAX_ENTRIES = 100_000;
  private static final int POINT_READS = 100;

  private StoreInvariants() {}

  static void check(Storage storage, Collection<String> namespaces, TestClock clock) {
    List<String> violations = new ArrayList<>();
    for (String namespace : namespaces) {
      check(storage, namespace, clock, violations);
    }
    if (!violations.isEmpty()) {
      throw new AssertionError(
          "store invariants broken after the test:\n  " + String.join("\n  ", violations));
    }
  }

  private static void check(
      Storage storage, String namespace, TestClock clock, List<String> violations) {
    Limits limits = storage.capabilities().limits();
    boolean controlled = storage.capabilities().has(Capability.CONTROLLED_CLOCK);
    List<Entry> entries = scanAll(storage, namespace, ScanRequest.all(), limits, violations);
    Instant now = clock.instant();
    Entry previous = null;
    for (Entry entry : entries) {
      String where = "namespace " + namespace + ", " + entry;
      if (previous != null && Keys.compare(previous.key(), entry.key()) >= 0) {
        violations.add(
            where + ": full scan not strictly ordered, came after key " + previous.key());
      }
      if (entry.version() <= 0) {
        violations.add(where + ": version not positive");
      }
      if (entry.key().isEmpty() || entry.key().indexOf('\0') >= 0) {
        violations.add(where + ": invalid key");
      }
      if (Keys.utf8Length(entry.key()) > limits.maxKeyBytes()) {
        violations.add(where + ": key longer than " + limits.maxKeyBytes() + " bytes");
      }
      if (entry.valueLength() > limits.maxValueBytes()) {
        violations.add(where + ": value longer than " + limits.maxValueBytes() + " bytes");
      }
      if (entry.createdAt().isAfter(entry.updatedAt())) {
        violations.add(where + ": created after its last update");
      }
      if (controlled) {
        if (entry.updatedAt().isAfter(now)) {
          violations.add(where + ": updated after the test clock's time " + now);
        }
        if (entry.expiresAt().isPresent() && !entry.expiresAt().get().isAfter(now)) {
          violations.add(where + ": expired entry visible to a scan at " + now);
        }
      }
      previous = entry;
    }
    for (Entry entry : entries.subList(0, Math.min(POINT_READS, entries.size()))) {
      if (!controlled && entry.expiresAt().isPresent()) {
        continue; // may expire in real time between the scan and the read
      }
      Optional<Entry> read = storage.get(namespace, entry.key());
      if (read.isEmpty()) {
        violations.add("namespace " + namespace + ": scanned " + entry + " but get finds nothing");
      } else if (read.get().version() != entry.version()
          || !read.get().valueEquals(entry.value())) {
        violations.add(
            "namespace " + namespace + ": scanned " + entry + " but get finds " + read.get());
      }
    }
  }

  private static List<Entry> scanAll(
      Storage storage,
      String namespace,
      ScanRequest request,
      Limits limits,
      List<String> violations) {
    ScanRequest first = request.withLimit(Math.min(limits.maxPageSize(), 500));
    List<Entry> entries = new ArrayList<>();
    Page page = storage.scan(namespace, first);
    for (int pages = 1; ; pages++) {
      if (page.entries().size() > first.limit()) {
        violations.add(
            "namespace "
                + namespace
                + ": page of "
                + page.entries().size()
                + " entries exceeds the limit "
                + first.limit());
      }
      entries.addAll(page.entries());
      if (page.nextCursor().isEmpty()) {
        return entries;
      }
      if (entries.size() > MAX_ENTRIES || pages > MAX_ENTRIES) {
        violations.add("namespace " + namespace + ": scan did not end after " + pages + " pages");
        return entries;
      }
      page = storage.scan(namespace, first.withCursor(page.nextCursor().get()));
    }
  }
}

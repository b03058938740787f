package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Capability;
import dev.strata.api.Commit;
import dev.strata.api.Condition;
import dev.strata.api.Entry;
import dev.strata.api.ScanRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Namespaces never see each other's keys, whatever the keys and namespaces look like: a backend
 * that joins namespace and key into one string must not let two pairs meet.
 */
abstract class NamespaceContract extends ContractGroup {

  NamespaceContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void aKeyInOneNamespaceIsInvisibleFromAnother() {
    String other = newNamespace();
    storage.put(ns, "k", bytes("mine"));

    assertThat(storage.get(other, "k")).isEmpty();
    assertThat(storage.exists(other, "k")).isFalse();
    assertThat(storage.getMany(other, List.of("k"))).isEmpty();
    assertThat(scanKeys(other, ScanRequest.all())).isEmpty();
    assertThat(storage.delete(other, "k")).isFalse();
    assertThat(valueOf("k")).isEqualTo("mine");
  }

  @Test
  void theSameKeyInTwoNamespacesHoldsTwoValues() {
    String other = newNamespace();
    storage.put(ns, "k", bytes("one"));
    storage.put(other, "k", bytes("two"));
    storage.increment(ns, "c", 1);
    storage.increment(other, "c", 10);

    assertThat(valueOf("k")).isEqualTo("one");
    assertThat(text(storage.get(other, "k").orElseThrow())).isEqualTo("two");
    assertThat(storage.increment(ns, "c", 0)).isEqualTo(1);
    assertThat(storage.increment(other, "c", 0)).isEqualTo(10);
  }

  @Test
  void writesInOneNamespaceLeaveAnotherAlone() {
    String other = newNamespace();
    putKeys(other, "a", "b", "c");
    putKeys(ns, "a", "b", "c");

    storage.delete(ns, "a");
    storage.deleteMany(ns, List.of("b"));
    storage.commit(ns, Commit.builder().require(Condition.present("c")).delete("c").build());

    assertThat(scanKeys(ScanRequest.all())).isEmpty();
    assertThat(scanKeys(other, ScanRequest.all())).containsExactly("a", "b", "c");
  }

  @Test
  void conditionsSeeOnlyTheirOwnNamespace() {
    String other = newNamespace();
    long elsewhere = storage.put(other, "k", bytes("elsewhere"));

    assertThat(storage.putIfAbsent(ns, "k", bytes("here"))).isPresent();
    long version = versionOf("k");
    // Versions are per key; where a backend counts per namespace, the two keys may have the same
    // one, which would make the condition below hold for the right reason.
    while (version == elsewhere) {
      version = storage.put(ns, "k", bytes("here"));
    }
    assertThat(storage.compareAndSet(other, "k", version, bytes("x"))).isEmpty();
    assertThat(text(storage.get(other, "k").orElseThrow())).isEqualTo("elsewhere");
  }

  @Test
  void namespacesThatExtendOneAnotherAreIsolated() {
    // Joined as namespace + separator + key, some of these pairs would meet.
    List<String> keys = List.of("k", "_k", ".k", "-k", "0k", ":k", "/k", "_", ".", "-");
    List<String> namespaces =
        List.of(ns, track(ns + "_"), track(ns + "."), track(ns + "-"), track(ns + "0"));
    for (String namespace : namespaces) {
      Map<String, byte[]> values = new LinkedHashMap<>();
      keys.forEach(key -> values.put(key, bytes(namespace)));
      storage.putMany(namespace, values);
    }

    for (String namespace : namespaces) {
      List<Entry> entries = storage.scan(namespace, ScanRequest.all()).entries();
      assertThat(entries)
          .as("keys of %s", namespace)
          .extracting(Entry::key)
          .containsExactlyElementsOf(sortedByUtf8(keys));
      assertThat(entries)
          .as("values of %s", namespace)
          .allSatisfy(e -> assertThat(text(e)).isEqualTo(namespace));
    }
  }

  @Test
  void aDescendingScanStaysInItsNamespace() {
    assumeCapability(Capability.DESCENDING_SCAN);
    List<String> keys = List.of("k", "_k", ".k", "-k", "0k", "_", ".", "-", "\uD83D\uDE00");
    List<String> namespaces =
        List.of(ns, track(ns + "_"), track(ns + "."), track(ns + "-"), track(ns + "0"));
    for (String namespace : namespaces) {
      putKeys(namespace, keys.toArray(String[]::new));
    }

    List<String> expected = sortedByUtf8(keys);
    Collections.reverse(expected);
    for (String namespace : namespaces) {
      assertThat(scanKeys(namespace, ScanRequest.all().descending()))
          .as("descending keys of %s", namespace)
          .containsExactlyElementsOf(expected);
      assertThat(scanKeys(namespace, ScanRequest.all().withLimit(2).descending()))
          .as("descending keys of %s in pages of 2", namespace)
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void namespacesDifferingOnlyInCaseAreDistinct() {
    String lower = track("tck-case-" + ns.substring(4).toLowerCase(Locale.ROOT));
    String upper = track(lower.toUpperCase(Locale.ROOT));
    storage.put(lower, "k", bytes("lower"));
    storage.put(upper, "k", bytes("upper"));

    assertThat(text(storage.get(lower, "k").orElseThrow())).isEqualTo("lower");
    assertThat(text(storage.get(upper, "k").orElseThrow())).isEqualTo("upper");
    assertThat(scanKeys(upper, ScanRequest.all())).containsExactly("k");
  }

  @Test
  void everyAllowedNamespaceCharacterAndTheLongestNamespaceWork() {
    String allowed =
        track(
            (ns + "-ABCXYZabcxyz0189_.-")
                + "x".repeat(64 - ns.length() - "-ABCXYZabcxyz0189_.-".length()));
    assertThat(allowed).hasSize(64);

    storage.put(allowed, "k", bytes("v"));

    assertThat(text(storage.get(allowed, "k").orElseThrow())).isEqualTo("v");
    assertThat(scanKeys(allowed, ScanRequest.all())).containsExactly("k");
    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void aScanOfOneNamespaceNeverReturnsAnothersKeysUnderTheSamePrefix() {
    String other = newNamespace();
    putKeys(ns, "user/1", "user/3");
    putKeys(other, "user/2", "user/4", "user/0");

    assertThat(scanKeys(ScanRequest.prefix("user/").withLimit(1)))
        .containsExactly("user/1", "user/3");
    assertThat(scanKeys(ScanRequest.range("user/0", "user/9"))).containsExactly("user/1", "user/3");
  }
}

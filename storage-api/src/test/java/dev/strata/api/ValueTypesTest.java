package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The small records of the API: capabilities, health, pages and change events. */
class ValueTypesTest {

  @Test
  void capabilitiesCopyTheirFeatures() {
    Set<Capability> features = EnumSet.of(Capability.ATOMIC_COMMIT);
    Capabilities capabilities = new Capabilities(features, Limits.defaults());
    features.add(Capability.DURABLE);
    assertThat(capabilities.has(Capability.ATOMIC_COMMIT)).isTrue();
    assertThat(capabilities.has(Capability.DURABLE)).isFalse();
    assertThat(capabilities.features()).containsExactly(Capability.ATOMIC_COMMIT);
    assertThatThrownBy(() -> capabilities.features().add(Capability.DURABLE))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(capabilities.limits()).isEqualTo(Limits.defaults());
  }

  @Test
  void capabilitiesMayBeEmpty() {
    Capabilities none = new Capabilities(Set.of(), Limits.defaults());
    for (Capability capability : Capability.values()) {
      assertThat(none.has(capability)).isFalse();
    }
    assertThat(new Capabilities(Set.of(), Limits.defaults())).isEqualTo(none);
  }

  @Test
  void capabilitiesRejectNulls() {
    assertThatNullPointerException().isThrownBy(() -> new Capabilities(null, Limits.defaults()));
    assertThatNullPointerException().isThrownBy(() -> new Capabilities(Set.of(), null));
    Capabilities capabilities = new Capabilities(Set.of(), Limits.defaults());
    assertThatNullPointerException().isThrownBy(() -> capabilities.has(null));
  }

  @Test
  void health() {
    assertThat(Health.up("pg")).isEqualTo(new Health(Health.Status.UP, "pg", ""));
    Health down = Health.down("pg", "connection refused");
    assertThat(down.status()).isEqualTo(Health.Status.DOWN);
    assertThat(down.detail()).isEqualTo("connection refused");
    assertThatNullPointerException().isThrownBy(() -> new Health(null, "pg", ""));
    assertThatNullPointerException().isThrownBy(() -> Health.up(null));
    assertThatNullPointerException().isThrownBy(() -> Health.down("pg", null));
  }

  @Test
  void pagesCopyTheirEntries() {
    Entry entry = new Entry("k", new byte[0], 1, Instant.EPOCH, Instant.EPOCH, null);
    List<Entry> entries = new ArrayList<>(List.of(entry));
    Page page = new Page(entries, Optional.of("cursor"));
    entries.clear();
    assertThat(page.entries()).containsExactly(entry);
    assertThat(page.hasMore()).isTrue();
    assertThatThrownBy(() -> page.entries().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(new Page(List.of(), Optional.empty()).hasMore()).isFalse();
    assertThatNullPointerException().isThrownBy(() -> new Page(List.of(), null));
    assertThatNullPointerException().isThrownBy(() -> new Page(null, Optional.empty()));
  }

  @Test
  void changeEvents() {
    ChangeEvent event = new ChangeEvent(ChangeEvent.Type.EXPIRE, "users", "alice", 9);
    assertThat(event).isEqualTo(new ChangeEvent(ChangeEvent.Type.EXPIRE, "users", "alice", 9));
    assertThat(event.version()).isEqualTo(9);
    assertThatNullPointerException().isThrownBy(() -> new ChangeEvent(null, "users", "alice", 1));
    assertThatNullPointerException()
        .isThrownBy(() -> new ChangeEvent(ChangeEvent.Type.PUT, null, "alice", 1));
    assertThatNullPointerException()
        .isThrownBy(() -> new ChangeEvent(ChangeEvent.Type.PUT, "users", null, 1));
  }
}

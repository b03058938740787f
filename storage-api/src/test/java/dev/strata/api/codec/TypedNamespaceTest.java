package dev.strata.api.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.InMemoryStorage;
import dev.strata.api.InvalidRequestException;
import dev.strata.api.ScanRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TypedNamespaceTest {
  public record User(String name, int age) {}

  private final InMemoryStorage storage = new InMemoryStorage();
  private final TypedNamespace<User> users = storage.typed("users", JsonCodec.of(User.class));

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void putAndGetConvertValues() {
    long version = users.put("alice", new User("Alice", 42));
    Versioned<User> read = users.get("alice").orElseThrow();
    assertThat(read.key()).isEqualTo("alice");
    assertThat(read.value()).isEqualTo(new User("Alice", 42));
    assertThat(read.version()).isEqualTo(version);
    assertThat(read.expiresAt()).isEmpty();
    assertThat(new String(storage.get("users", "alice").orElseThrow().value(), UTF_8))
        .isEqualTo("{\"name\":\"Alice\",\"age\":42}");
    assertThat(users.get("bob")).isEmpty();
  }

  @Test
  void whateverAUserCodecThrowsOrReturnsAmissIsACodecException() {
    Codec<String> broken =
        new Codec<>() {
          @Override
          public byte[] encode(String value) {
            if (value.equals("null")) {
              return null;
            }
            throw new IllegalStateException("cannot encode " + value);
          }

          @Override
          public String decode(byte[] bytes) {
            if (bytes.length == 0) {
              return null;
            }
            throw new IllegalArgumentException("cannot decode");
          }
        };
    TypedNamespace<String> typed = storage.typed("broken", broken);

    assertThatThrownBy(() -> typed.put("a", "x"))
        .isInstanceOf(CodecException.class)
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'a'");
    assertThatThrownBy(() -> typed.put("a", "null")).isInstanceOf(CodecException.class);
    assertThat(storage.get("broken", "a")).isEmpty();

    storage.put("broken", "b", new byte[] {1});
    storage.put("broken", "empty", new byte[0]);
    assertThatThrownBy(() -> typed.get("b"))
        .isInstanceOf(CodecException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> typed.get("empty")).isInstanceOf(CodecException.class);
    assertThatNullPointerException().isThrownBy(() -> typed.put("a", null));
  }

  @Test
  void putWithTtlCarriesTheExpiry() {
    users.put("alice", new User("Alice", 42), Duration.ofMinutes(5));
    assertThat(users.get("alice").orElseThrow().expiresAt()).isPresent();
  }

  @Test
  void conditionalWrites() {
    OptionalLong first = users.putIfAbsent("alice", new User("Alice", 1));
    assertThat(first).isPresent();
    assertThat(users.putIfAbsent("alice", new User("Eve", 0))).isEmpty();
    assertThat(users.compareAndSet("alice", first.getAsLong() + 1, new User("Eve", 0))).isEmpty();
    OptionalLong second = users.compareAndSet("alice", first.getAsLong(), new User("Alice", 2));
    assertThat(second).isPresent();
    assertThat(users.get("alice").orElseThrow().value().age()).isEqualTo(2);
    assertThat(users.delete("alice", first.getAsLong())).isFalse();
    assertThat(users.delete("alice", second.getAsLong())).isTrue();
    assertThat(users.delete("alice")).isFalse();
  }

  @Test
  void getManyKeepsTheOrderOfTheKeys() {
    users.put("a", new User("A", 1));
    users.put("b", new User("B", 2));
    assertThat(users.getMany(List.of("b", "missing", "a")).keySet()).containsExactly("b", "a");
  }

  @Test
  void scanAllDecodesEveryValue() {
    users.put("a", new User("A", 1));
    users.put("b", new User("B", 2));
    users.put("c", new User("C", 3));
    assertThat(users.scanAll(ScanRequest.all().withLimit(2)).map(v -> v.value().name()))
        .containsExactly("A", "B", "C");
  }

  @Test
  void aValueThatCannotBeDecodedIsACodecException() {
    storage.put("users", "raw", "not json".getBytes(UTF_8));
    assertThatThrownBy(() -> users.get("raw")).isInstanceOf(CodecException.class);
    storage.put("users", "null", "null".getBytes(UTF_8));
    assertThatThrownBy(() -> users.get("null")).isInstanceOf(CodecException.class);
  }

  @Test
  void aFailedEncodeWritesNothing() {
    TypedNamespace<String> strings = storage.typed("strings", Codec.utf8());
    assertThatThrownBy(() -> strings.put("k", "lone \uD800")).isInstanceOf(CodecException.class);
    assertThat(storage.exists("strings", "k")).isFalse();
  }

  @Test
  void rejectsAnInvalidNamespaceAndNulls() {
    assertThatThrownBy(() -> new TypedNamespace<>(storage, "no spaces", Codec.utf8()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatNullPointerException()
        .isThrownBy(() -> new TypedNamespace<>(null, "ns", Codec.utf8()));
    assertThatNullPointerException()
        .isThrownBy(() -> new TypedNamespace<>(storage, null, Codec.utf8()));
    assertThatNullPointerException()
        .isThrownBy(() -> new TypedNamespace<String>(storage, "ns", null));
  }

  @Test
  void toStringNamesStorageNamespaceAndCodec() {
    assertThat(storage.typed("strings", Codec.utf8()))
        .hasToString("TypedNamespace{memory/strings, Codec.utf8()}");
  }

  @Test
  void versionedRejectsNulls() {
    Optional<Instant> none = Optional.empty();
    assertThat(new Versioned<>("k", "v", 1, none).value()).isEqualTo("v");
    assertThatNullPointerException().isThrownBy(() -> new Versioned<>(null, "v", 1, none));
    assertThatNullPointerException().isThrownBy(() -> new Versioned<String>("k", null, 1, none));
    assertThatNullPointerException().isThrownBy(() -> new Versioned<>("k", "v", 1, null));
  }
}

package dev.strata.api.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCodecTest {

  /** A record, as most users will store. */
  public record User(String name, int age, List<String> tags) {}

  /** A classic bean with a no-argument constructor and setters. */
  public static final class Account {
    private String id;
    private long balance;

    public Account() {}

    Account(String id, long balance) {
      this.id = id;
      this.balance = balance;
    }

    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    public long getBalance() {
      return balance;
    }

    public void setBalance(long balance) {
      this.balance = balance;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Account a && a.balance == balance && Objects.equals(a.id, id);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, balance);
    }
  }

  @Test
  void jacksonIsOnTheTestClassPathThroughTheOptionalDependency() {
    assertThat(ObjectMapper.class.getProtectionDomain().getCodeSource().getLocation().toString())
        .contains("jackson-databind");
  }

  @Test
  void roundTripsARecord() {
    JsonCodec<User> codec = JsonCodec.of(User.class);
    User alice = new User("Alice", 42, List.of("admin", "ops"));
    byte[] json = codec.encode(alice);
    assertThat(new String(json, UTF_8))
        .isEqualTo("{\"name\":\"Alice\",\"age\":42,\"tags\":[\"admin\",\"ops\"]}");
    assertThat(codec.decode(json)).isEqualTo(alice);
  }

  @Test
  void roundTripsTextOutsideTheBasicMultilingualPlane() {
    JsonCodec<User> codec = JsonCodec.of(User.class);
    User user = new User("\uD83D\uDE00 \uFFFF \u00e9", 1, List.of("\uDBFF\uDFFF"));
    assertThat(codec.decode(codec.encode(user))).isEqualTo(user);
  }

  @Test
  void roundTripsABean() {
    JsonCodec<Account> codec = JsonCodec.of(Account.class);
    Account account = new Account("acc-1", -5);
    assertThat(codec.decode(codec.encode(account))).isEqualTo(account);
  }

  @Test
  void roundTripsAGenericType() {
    ObjectMapper mapper = new ObjectMapper();
    JsonCodec<Map<String, List<User>>> codec =
        JsonCodec.of(mapper, new TypeReference<Map<String, List<User>>>() {});
    Map<String, List<User>> value =
        Map.of("team", List.of(new User("a", 1, List.of()), new User("b", 2, List.of("x"))));
    Map<String, List<User>> decoded = codec.decode(codec.encode(value));
    assertThat(decoded).isEqualTo(value);
    assertThat(decoded.get("team").get(0)).isInstanceOf(User.class);
  }

  @Test
  void usesTheCallersMapper() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    JsonCodec<User> codec = JsonCodec.of(mapper, User.class);
    assertThat(new String(codec.encode(new User("a", 1, List.of())), UTF_8)).contains("\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "{",
        "{\"name\":",
        "[1,2,3]",
        "\"a string\"",
        "{\"name\":\"a\",\"age\":\"not a number\",\"tags\":[]}",
        "{\"unknown\":1}"
      })
  void rejectsGarbageWithACodecException(String json) {
    JsonCodec<User> codec = JsonCodec.of(User.class);
    assertThatThrownBy(() -> codec.decode(json.getBytes(UTF_8)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("cannot decode JSON as")
        .hasMessageContaining("User")
        .hasCauseInstanceOf(JsonProcessingException.class);
  }

  @Test
  void rejectsMalformedUtf8() {
    JsonCodec<String> codec = JsonCodec.of(String.class);
    assertThatThrownBy(() -> codec.decode(new byte[] {'"', (byte) 0xFF, '"'}))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void rejectsJsonNullRatherThanReturningNull() {
    JsonCodec<User> codec = JsonCodec.of(User.class);
    assertThatThrownBy(() -> codec.decode("null".getBytes(UTF_8)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("null");
    assertThatThrownBy(() -> codec.decode(" null ".getBytes(UTF_8)))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void aValueJacksonCannotWriteIsACodecException() {
    JsonCodec<Object> codec = JsonCodec.of(Object.class);
    assertThatThrownBy(() -> codec.encode(new Object()))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("cannot encode")
        .hasCauseInstanceOf(JsonProcessingException.class);
  }

  @Test
  void rejectsNulls() {
    JsonCodec<User> codec = JsonCodec.of(User.class);
    assertThatNullPointerException().isThrownBy(() -> codec.encode(null)).withMessage("value");
    assertThatNullPointerException().isThrownBy(() -> codec.decode(null)).withMessage("bytes");
    assertThatNullPointerException().isThrownBy(() -> JsonCodec.of((Class<User>) null));
    assertThatNullPointerException()
        .isThrownBy(() -> JsonCodec.of((ObjectMapper) null, User.class));
    assertThatNullPointerException()
        .isThrownBy(() -> JsonCodec.of(new ObjectMapper(), (TypeReference<User>) null));
  }

  @Test
  void toStringNamesTheType() {
    assertThat(JsonCodec.of(User.class).toString()).startsWith("JsonCodec{").contains("User");
  }
}

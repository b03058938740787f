package dev.strata.api.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.Objects;

/**
 * Values as JSON, through Jackson. Needs {@code jackson-databind} on the class path (an optional
 * dependency of this module). Immutable and thread-safe.
 *
 * <p>
 *
 * {@snippet :
 * TypedNamespace<User> users = storage.typed("users", JsonCodec.of(User.class));
 * users.put("alice", new User("Alice", 42));
 * }
 *
 * @param <T> the type of values
 */
public final class JsonCodec<T> implements Codec<T> {
  private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper().findAndRegisterModules();

  private final JavaType type;
  private final ObjectReader reader;
  private final ObjectWriter writer;

  private JsonCodec(ObjectMapper mapper, JavaType type) {
    this.type = type;
    this.reader = mapper.readerFor(type);
    this.writer = mapper.writerFor(type);
  }

  /**
   * A codec for a class, with a mapper that has every module found on the class path.
   *
   * @param type the class of values
   * @param <T> the type of values
   * @return the codec
   */
  public static <T> JsonCodec<T> of(Class<T> type) {
    return of(DEFAULT_MAPPER, type);
  }

  /**
   * A codec for a class, with the caller's mapper.
   *
   * @param mapper the mapper; it must not be reconfigured afterwards
   * @param type the class of values
   * @param <T> the type of values
   * @return the codec
   */
  public static <T> JsonCodec<T> of(ObjectMapper mapper, Class<T> type) {
    Objects.requireNonNull(mapper, "mapper");
    return new JsonCodec<>(mapper, mapper.constructType(Objects.requireNonNull(type, "type")));
  }

  /**
   * A codec for a generic type, such as {@code List<User>}.
   *
   * @param mapper the mapper; it must not be reconfigured afterwards
   * @param type the type of values
   * @param <T> the type of values
   * @return the codec
   */
  public static <T> JsonCodec<T> of(ObjectMapper mapper, TypeReference<T> type) {
    Objects.requireNonNull(mapper, "mapper");
    return new JsonCodec<>(mapper, mapper.constructType(Objects.requireNonNull(type, "type")));
  }

  @Override
  public byte[] encode(T value) {
    Objects.requireNonNull(value, "value");
    try {
      return writer.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new CodecException("cannot encode " + type + " as JSON", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws CodecException also for the JSON literal {@code null}: a codec never yields {@code
   *     null}, and {@link #encode} never writes it
   */
  @Override
  public T decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    T value;
    try {
      value = reader.readValue(bytes);
    } catch (IOException e) {
      throw new CodecException("cannot decode JSON as " + type, e);
    }
    if (value == null) {
      throw new CodecException("cannot decode JSON null as " + type, null);
    }
    return value;
  }

  @Override
  public String toString() {
    return "JsonCodec{" + type + '}';
  }
}

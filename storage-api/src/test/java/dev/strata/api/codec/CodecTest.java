package dev.strata.api.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.UnicodeArbitraries;
import java.nio.charset.CharacterCodingException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CodecTest {

  @Example
  void bytesIsTheIdentityWithoutCopies() {
    byte[] value = {1, 2, 3};
    assertThat(Codec.bytes().encode(value)).isSameAs(value);
    assertThat(Codec.bytes().decode(value)).isSameAs(value);
    assertThat(Codec.bytes().decode(new byte[0])).isEmpty();
    assertThat(Codec.bytes()).hasToString("Codec.bytes()").isSameAs(Codec.bytes());
  }

  @Property
  void bytesRoundTripsAnyBytes(@ForAll byte[] value) {
    assertThat(Codec.bytes().decode(Codec.bytes().encode(value))).isEqualTo(value);
  }

  @Property
  void utf8RoundTripsEveryValidString(@ForAll("strings") String value) {
    byte[] encoded = Codec.utf8().encode(value);
    assertThat(encoded).isEqualTo(value.getBytes(UTF_8));
    assertThat(Codec.utf8().decode(encoded)).isEqualTo(value);
  }

  @Example
  void utf8HandlesTheEmptyStringAndU0000() {
    assertThat(Codec.utf8().encode("")).isEmpty();
    assertThat(Codec.utf8().decode(new byte[0])).isEmpty();
    assertThat(Codec.utf8().decode(Codec.utf8().encode("a\u0000b"))).isEqualTo("a\u0000b");
    assertThat(Codec.utf8()).hasToString("Codec.utf8()");
  }

  @Example
  void utf8RejectsMalformedInput() {
    int[][] malformed = {
      {0xFF}, // never valid
      {0x80}, // continuation without a lead
      {0xC3}, // truncated two-byte sequence
      {0xE2, 0x82}, // truncated three-byte sequence
      {0xC0, 0x80}, // overlong U+0000
      {0xED, 0xA0, 0x80}, // an encoded surrogate
      {0xF4, 0x90, 0x80, 0x80}, // above U+10FFFF
      {'o', 'k', 0xFE}
    };
    for (int[] ints : malformed) {
      byte[] bytes = new byte[ints.length];
      for (int i = 0; i < ints.length; i++) {
        bytes[i] = (byte) ints[i];
      }
      assertThatThrownBy(() -> Codec.utf8().decode(bytes))
          .isInstanceOf(CodecException.class)
          .hasMessage("value is not valid UTF-8")
          .hasCauseInstanceOf(CharacterCodingException.class);
    }
  }

  @Example
  void utf8RejectsLoneSurrogatesInsteadOfWritingQuestionMarks() {
    for (String value : new String[] {"\uD800", "a\uDC00", "\uDE00\uD83D", "x\uD83Dy"}) {
      assertThatThrownBy(() -> Codec.utf8().encode(value))
          .isInstanceOf(CodecException.class)
          .hasCauseInstanceOf(CharacterCodingException.class);
    }
  }

  @Example
  void codecFailuresAreNotRetryable() {
    try {
      Codec.utf8().decode(new byte[] {(byte) 0xFF});
    } catch (CodecException e) {
      assertThat(e.isRetryable()).isFalse();
      return;
    }
    throw new AssertionError("expected a CodecException");
  }

  @Provide
  Arbitrary<String> strings() {
    return UnicodeArbitraries.strings(0, 40);
  }
}

package dev.strata.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.strata.api.UnicodeArbitraries;
import java.util.Base64;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CursorsTest {

  @Property
  void roundTripsEveryKey(@ForAll("keys") String key) {
    assertThat(Cursors.lastKey(Cursors.after(key))).isEqualTo(key);
  }

  @Property
  void isUrlSafeWithoutPadding(@ForAll("keys") String key) {
    assertThat(Cursors.after(key)).matches("[A-Za-z0-9_-]+");
  }

  @Property
  void differentKeysHaveDifferentCursors(@ForAll("keys") String a, @ForAll("keys") String b) {
    assertThat(Cursors.after(a).equals(Cursors.after(b))).isEqualTo(a.equals(b));
  }

  @Example
  void roundTripsTheLongestKeyAndCharactersWithMeaningElsewhere() {
    String longest = "\uD83D\uDE00".repeat(256);
    assertThat(Cursors.lastKey(Cursors.after(longest))).isEqualTo(longest);
    String literal = "a:b/c%d_e\\f*g?h[i]j{k}l'm\"n o\np+q=r";
    assertThat(Cursors.lastKey(Cursors.after(literal))).isEqualTo(literal);
  }

  @Example
  void rejectsStringsThatAreNotBase64() {
    for (String cursor : new String[] {"!!!", "a b", "AQ==x", "ä", "AQ/+"}) {
      assertThatIllegalArgumentException()
          .as(cursor)
          .isThrownBy(() -> Cursors.lastKey(cursor))
          .withMessage("cursor is not a scan cursor");
    }
  }

  @Example
  void rejectsCursorsWithoutAKey() {
    assertThatIllegalArgumentException().isThrownBy(() -> Cursors.lastKey(""));
    assertThatIllegalArgumentException().isThrownBy(() -> Cursors.lastKey(encode(1)));
  }

  @Example
  void rejectsAnotherFormat() {
    assertThatIllegalArgumentException().isThrownBy(() -> Cursors.lastKey(encode(0, 'a')));
    assertThatIllegalArgumentException().isThrownBy(() -> Cursors.lastKey(encode(2, 'a')));
    assertThatIllegalArgumentException().isThrownBy(() -> Cursors.lastKey(encode(0xFF, 'a')));
  }

  @Example
  void rejectsMalformedUtf8() {
    for (int[] key :
        new int[][] {
          {0xFF}, {0xC3}, {0xC0, 0x80}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80}, {0x80}
        }) {
      int[] raw = new int[key.length + 1];
      raw[0] = 1;
      System.arraycopy(key, 0, raw, 1, key.length);
      assertThatIllegalArgumentException()
          .isThrownBy(() -> Cursors.lastKey(encode(raw)))
          .withMessage("cursor is not a scan cursor")
          .withCauseInstanceOf(java.nio.charset.CharacterCodingException.class);
    }
  }

  @Example
  void acceptsPaddedBase64() {
    String unpadded = Cursors.after("ab");
    assertThat(Cursors.lastKey(unpadded + "=".repeat((4 - unpadded.length() % 4) % 4)))
        .isEqualTo("ab");
  }

  private static String encode(int... bytes) {
    byte[] raw = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      raw[i] = (byte) bytes[i];
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  @Provide
  Arbitrary<String> keys() {
    return UnicodeArbitraries.keys();
  }
}

package dev.strata.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A Lua script of this package, run by its SHA-1 ({@code EVALSHA}). A server that does not have it
 * (after a restart, a {@code SCRIPT FLUSH}, or on a cluster node that never saw it) answers {@code
 * NOSCRIPT} without running anything; the script is then sent whole ({@code EVAL}), which also
 * loads it for next time. Immutable and thread-safe.
 */
final class Script {
  private final String name;
  private final byte[] source;
  private final String sha;

  private Script(String name, byte[] source) {
    this.name = name;
    this.source = source;
    try {
      this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  /**
   * Loads a script of this package's resources, after {@code entries.lua}, the start every script
   * shares (the server's time, and the reading and writing of entries).
   *
   * @param name the file name, such as {@code write.lua}
   * @return the script
   */
  static Script load(String name) {
    byte[] start = resource("entries.lua");
    byte[] script = resource(name);
    byte[] source = Arrays.copyOf(start, start.length + 1 + script.length);
    source[start.length] = '\n';
    System.arraycopy(script, 0, source, start.length + 1, script.length);
    return new Script(name, source);
  }

  private static byte[] resource(String name) {
    try (InputStream in = Script.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("script " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading script " + name, e);
    }
  }

  /**
   * Runs the script.
   *
   * @param redis the commands of a connection
   * @param type the type of the reply
   * @param keys the keys the script touches, all of one hash slot
   * @param args the arguments
   * @param <T> the type of the reply
   * @return the reply
   */
  <T> T run(
      RedisClusterCommands<String, byte[]> redis,
      ScriptOutputType type,
      String[] keys,
      byte[]... args) {
    try {
      return redis.evalsha(sha, type, keys, args);
    } catch (RedisNoScriptException e) {
      return redis.eval(source, type, keys, args);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}

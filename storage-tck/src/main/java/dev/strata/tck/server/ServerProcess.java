package dev.strata.tck.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A test server running as a process on this machine, started by {@code scripts/with-test-servers},
 * for fault tests: stop it, start it again with the same data and port, kill it, or freeze it with
 * SIGSTOP so that its connections hang. Each method runs {@code scripts/test-server-ctl} and waits
 * for it, at most {@link #TIMEOUT}.
 *
 * <p>The server is shared by every test of the run: a fault test must leave it running and resumed
 * (in a {@code finally} block or an {@code @AfterEach} method), and must not run in parallel with
 * other tests of the same server. Methods are thread-safe but do not coordinate with each other.
 */
public final class ServerProcess {
  /** How long one control action may take before it fails. */
  public static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final String server;
  private final Path controlScript;
  private final Path dataDir;

  ServerProcess(String server, Path controlScript, Path dataDir) {
    this.server = Objects.requireNonNull(server, "server");
    this.controlScript = Objects.requireNonNull(controlScript, "controlScript");
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
  }

  /**
   * Returns the directory that holds the server's data and configuration.
   *
   * @return the data directory (for PostgreSQL, the one with {@code postmaster.pid})
   */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Returns the current process id of the server, which changes when it is started again.
   *
   * @return the process id (for PostgreSQL, the postmaster's)
   * @throws IllegalStateException if the server is not running
   */
  public long pid() {
    return Long.parseLong(control("pid").trim());
  }

  /**
   * Stops the server gracefully and waits until it is gone; does nothing if it is not running.
   *
   * @throws IllegalStateException if it does not stop in time
   */
  public void stop() {
    control("stop");
  }

  /**
   * Starts the server again with the same data, port and settings, and waits until it accepts
   * connections. Redis starts empty: it keeps nothing on disk.
   *
   * @throws IllegalStateException if it does not start in time
   */
  public void start() {
    control("start");
  }

  /**
   * Kills the server with SIGKILL (for PostgreSQL, the postmaster and every backend) and waits
   * until it is gone; does nothing if it is not running.
   *
   * @throws IllegalStateException if it cannot be killed
   */
  public void kill() {
    control("kill");
  }

  /**
   * Freezes the server with SIGSTOP: it keeps its connections but answers nothing until {@link
   * #resume()}.
   *
   * @throws IllegalStateException if the server is not running
   */
  public void pause() {
    control("pause");
  }

  /**
   * Lets a server frozen by {@link #pause()} go on with SIGCONT.
   *
   * @throws IllegalStateException if the server is not running
   */
  public void resume() {
    control("resume");
  }

  /** Describes the process by server and data directory. */
  @Override
  public String toString() {
    return "ServerProcess[" + server + ", dataDir=" + dataDir + "]";
  }

  private String control(String action) {
    Path output = null;
    Path errors = null;
    Process process = null;
    try {
      output = Files.createTempFile("strata-test-server-ctl", ".out");
      errors = Files.createTempFile("strata-test-server-ctl", ".err");
      // Separate files: the output is parsed (a process id), the errors only reported.
      process =
          new ProcessBuilder(controlScript.toString(), server, action)
              .redirectOutput(output.toFile())
              .redirectError(errors.toFile())
              .start();
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            describe(action)
                + " did not finish within "
                + TIMEOUT
                + ": "
                + Files.readString(errors, StandardCharsets.UTF_8));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            describe(action)
                + " failed with exit code "
                + process.exitValue()
                + ": "
                + Files.readString(errors, StandardCharsets.UTF_8));
      }
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(describe(action) + " could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(describe(action) + " was interrupted", e);
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly(); // timed out or interrupted: leave nothing running
      }
      deleteQuietly(output);
      deleteQuietly(errors);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover temporary file is harmless.
    }
  }

  private String describe(String action) {
    return controlScript + " " + server + " " + action;
  }
}

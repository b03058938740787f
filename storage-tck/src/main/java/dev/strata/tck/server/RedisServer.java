package dev.strata.tck.server;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A Redis server that tests may use. {@link TestServers} resolves it for test parameters of this
 * type.
 *
 * <p>The server belongs to the run, not to one test: tests that need isolation use keys of their
 * own. Servers started by {@code scripts/with-test-servers} have no password and no persistence.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RedisServer {
  private final URI uri;
  private final ServerProcess process;
  private final URI tlsUri;
  private final Path sslRootCert;
  private final Path sslOtherCa;
  private final Path sslClientCert;
  private final Path sslClientKey;
  private final URI sentinelUri;

  /**
   * Creates a description of a server.
   *
   * @param uri the Redis URI, {@code redis://host:port} (optionally with credentials or a database
   *     number, as Lettuce reads them)
   * @param process the local server process, or {@code null} when the server is not one this run
   *     may control
   * @throws IllegalArgumentException if the URI is not a {@code redis} or {@code rediss} URI with a
   *     host and port
   */
  public RedisServer(URI uri, ServerProcess process) {
    this(uri, process, null, null, null, null, null, null);
    if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getPort() < 0) {
      throw new IllegalArgumentException(
          "not a Redis URI of the form redis://host:port: " + redacted(uri));
    }
  }

  private RedisServer(
      URI uri,
      ServerProcess process,
      URI tlsUri,
      Path sslRootCert,
      Path sslOtherCa,
      Path sslClientCert,
      Path sslClientKey,
      URI sentinelUri) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.process = process;
    this.tlsUri = tlsUri;
    this.sslRootCert = sslRootCert;
    this.sslOtherCa = sslOtherCa;
    this.sslClientCert = sslClientCert;
    this.sslClientKey = sslClientKey;
    this.sentinelUri = sentinelUri;
  }

  /**
   * Describes the same server that also speaks TLS on a port of its own.
   *
   * @param tlsUri the {@code rediss} URI of its TLS port, whose host its certificate names
   * @param sslRootCert the PEM certificate of the authority that signed the server's certificate,
   *     or {@code null} when it is not known
   * @param sslOtherCa the PEM certificate of an authority that did not sign it, or {@code null}
   * @return the description
   * @throws IllegalArgumentException if the URI is not a {@code rediss} URI with a host and port
   */
  public RedisServer withTls(URI tlsUri, Path sslRootCert, Path sslOtherCa) {
    if (!"rediss".equals(tlsUri.getScheme()) || tlsUri.getHost() == null || tlsUri.getPort() < 0) {
      throw new IllegalArgumentException(
          "not a Redis TLS URI of the form rediss://host:port: " + redacted(tlsUri));
    }
    return new RedisServer(
        uri, process, tlsUri, sslRootCert, sslOtherCa, sslClientCert, sslClientKey, sentinelUri);
  }

  /**
   * Describes the same server with a client certificate for its TLS port, for when it verifies its
   * clients.
   *
   * @param sslClientCert a PEM client certificate that the authority of {@link #sslRootCert()}
   *     signed
   * @param sslClientKey the PEM private key (PKCS#8) of the certificate
   * @return the description
   * @throws IllegalArgumentException if one of the two is missing
   */
  public RedisServer withClientCertificate(Path sslClientCert, Path sslClientKey) {
    if (sslClientCert == null || sslClientKey == null) {
      throw new IllegalArgumentException("a client certificate comes with its key");
    }
    return new RedisServer(
        uri, process, tlsUri, sslRootCert, sslOtherCa, sslClientCert, sslClientKey, sentinelUri);
  }

  /**
   * Describes the same server with a Sentinel that monitors it as its master.
   *
   * @param sentinelUri the {@code redis-sentinel} URI of the Sentinel
   * @return the description
   */
  public RedisServer withSentinel(URI sentinelUri) {
    return new RedisServer(
        uri,
        process,
        tlsUri,
        sslRootCert,
        sslOtherCa,
        sslClientCert,
        sslClientKey,
        Objects.requireNonNull(sentinelUri, "sentinelUri"));
  }

  /**
   * Returns the URI of the server, as Lettuce's {@code RedisClient.create(String)} accepts it.
   *
   * @return the URI, for example {@code redis://127.0.0.1:56379}
   */
  public URI uri() {
    return uri;
  }

  /**
   * Returns the host name or address of the server.
   *
   * @return the host, for example {@code 127.0.0.1}
   */
  public String host() {
    return uri.getHost();
  }

  /**
   * Returns the TCP port of the server, for example to put a proxy in front of it.
   *
   * @return the port
   */
  public int port() {
    return uri.getPort();
  }

  /**
   * Returns the server's process when this run started it on this machine and fault tests may stop,
   * kill or pause it; empty for a server in a container or elsewhere. Fault tests assume it is
   * present.
   *
   * @return the process, if this run controls it
   */
  public Optional<ServerProcess> process() {
    return Optional.ofNullable(process);
  }

  /**
   * Returns the URI of the server's TLS port, when it has one.
   *
   * @return the URI, for example {@code rediss://localhost:56380}
   */
  public Optional<URI> tlsUri() {
    return Optional.ofNullable(tlsUri);
  }

  /**
   * Returns the PEM certificate of the authority that signed the server's TLS certificate.
   *
   * @return the file, when the server speaks TLS and the authority is known
   */
  public Optional<Path> sslRootCert() {
    return Optional.ofNullable(sslRootCert);
  }

  /**
   * Returns the PEM certificate of an authority that did not sign the server's certificate: TLS
   * connections that trust only it must fail.
   *
   * @return the file, if there is one
   */
  public Optional<Path> sslOtherCa() {
    return Optional.ofNullable(sslOtherCa);
  }

  /**
   * Returns a client certificate that the authority of {@link #sslRootCert()} signed, for TLS
   * connections to a server that verifies its clients.
   *
   * @return the PEM file of the certificate, if there is one; then {@link #sslClientKey()} is
   *     present too
   */
  public Optional<Path> sslClientCert() {
    return Optional.ofNullable(sslClientCert);
  }

  /**
   * Returns the private key of {@link #sslClientCert()}.
   *
   * @return the PEM file of the key (PKCS#8, unencrypted), if there is one
   */
  public Optional<Path> sslClientKey() {
    return Optional.ofNullable(sslClientKey);
  }

  /**
   * Returns the URI of a Sentinel that monitors the server as its master, when there is one.
   *
   * @return the URI, for example {@code redis-sentinel://127.0.0.1:56479#strata}
   */
  public Optional<URI> sentinelUri() {
    return Optional.ofNullable(sentinelUri);
  }

  /** Describes the server, without credentials that its URI may carry. */
  @Override
  public String toString() {
    return "RedisServer[uri="
        + redacted(uri)
        + (process == null ? "" : ", process=" + process)
        + "]";
  }

  private static String redacted(URI uri) {
    return uri.getUserInfo() == null
        ? uri.toString()
        : uri.toString().replace(uri.getRawUserInfo() + "@", "(redacted)@");
  }
}

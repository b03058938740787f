package dev.strata.postgres;

/**
 * Whether and how connections to the server use TLS: pgjdbc's {@code sslmode}, with libpq's
 * meanings. Only {@link #VERIFY_FULL} protects against a server that is not the one named; use it
 * (with {@link PostgresConfig.Builder#sslRootCert}) across any network you do not own.
 */
public enum SslMode {
  /** Never TLS. */
  DISABLE("disable"),
  /** Plain first; TLS only if the server demands it. */
  ALLOW("allow"),
  /** TLS if the server offers it, else plain; the server's certificate is not checked. */
  PREFER("prefer"),
  /** TLS or no connection; the certificate is not checked (pgjdbc ignores a root certificate). */
  REQUIRE("require"),
  /** TLS, with a certificate signed by the trusted authority. */
  VERIFY_CA("verify-ca"),
  /** TLS, with a certificate signed by the trusted authority and naming the host connected to. */
  VERIFY_FULL("verify-full");

  private final String value;

  SslMode(String value) {
    this.value = value;
  }

  /**
   * The value of pgjdbc's {@code sslmode} property.
   *
   * @return for example {@code verify-full}
   */
  public String value() {
    return value;
  }
}

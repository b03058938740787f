/**
 * The embedded backend: {@link dev.strata.embedded.EmbeddedStorage}, a {@link
 * dev.strata.api.Storage} on JetBrains Xodus in this process, kept in a directory or in memory,
 * configured by {@link dev.strata.embedded.EmbeddedConfig}. It needs no server, which makes it the
 * zero-setup default and the store of choice for tests.
 */
package dev.strata.embedded;

/**
 * Internals of the embedded store: record layout and transactions on Xodus. Not API, may change
 * without notice.
 */
package dev.strata.embedded.internal;

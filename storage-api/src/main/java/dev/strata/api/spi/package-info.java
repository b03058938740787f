/**
 * Building blocks for implementations of {@link dev.strata.api.Storage}: request validation, key
 * order, scan cursors, lifecycle and in-process event delivery, shared so that every backend
 * behaves the same. Users of the library do not need this package.
 */
package dev.strata.api.spi;

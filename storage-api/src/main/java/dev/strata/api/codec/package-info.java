/**
 * Typed values over byte storage: {@link dev.strata.api.codec.Codec} with raw-byte, UTF-8 and JSON
 * (Jackson) implementations, and {@link dev.strata.api.codec.TypedNamespace}, a view of one
 * namespace in the caller's own types.
 */
package dev.strata.api.codec;

/** Internals of the Redis storage: connections, scripts, events and error mapping. */
package dev.strata.redis.internal;

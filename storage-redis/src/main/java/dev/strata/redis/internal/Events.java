package dev.strata.redis.internal;

import dev.strata.api.ChangeEvent;
import dev.strata.api.ChangeListener;
import dev.strata.api.Subscription;
import dev.strata.api.spi.ChangeDispatcher;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change events of a storage: one pub/sub connection, opened at the first subscription, that
 * subscribes to the channel of each namespace someone listens to, and hands what arrives to a
 * {@link ChangeDispatcher}. Lettuce subscribes again after a reconnect; events published while the
 * connection is down are lost, as pub/sub keeps nothing. Thread-safe.
 */
public final class Events implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final Connections connections;
  private final Layout layout;
  private final ChangeDispatcher dispatcher;
  private final String backend;
  private final Map<String, Integer> listeners = new HashMap<>();
  private StatefulRedisPubSubConnection<String, byte[]> pubSub;

  /**
   * Creates the events of a storage; nothing is opened before the first subscription.
   *
   * @param connections the storage's connections
   * @param layout its names
   * @param backend its name, for logs
   */
  public Events(Connections connections, Layout layout, String backend) {
    this.connections = connections;
    this.layout = layout;
    this.backend = backend;
    this.dispatcher = new ChangeDispatcher(backend);
  }

  /**
   * Subscribes to a namespace; returns once the server has confirmed the channel's subscription, so
   * that every write that starts afterwards is delivered.
   *
   * @param ns the namespace
   * @param listener the listener
   * @return the subscription
   */
  public synchronized Subscription subscribe(String ns, ChangeListener listener) {
    if (pubSub == null) {
      StatefulRedisPubSubConnection<String, byte[]> connection = connections.connectPubSub();
      connection.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
              deliver(channel, message);
            }
          });
      pubSub = connection;
    }
    if (!listeners.containsKey(ns)) {
      pubSub.sync().subscribe(layout.channel(ns));
    }
    listeners.merge(ns, 1, Integer::sum);
    Subscription subscription = dispatcher.subscribe(ns, listener);
    return new Subscription() {
      private boolean open = true;

      @Override
      public void close() {
        synchronized (Events.this) {
          if (!open) {
            return;
          }
          open = false;
          subscription.close();
          if (listeners.merge(ns, -1, Integer::sum) == 0) {
            listeners.remove(ns);
            unsubscribe(ns);
          }
        }
      }
    };
  }

  private void unsubscribe(String ns) {
    if (pubSub == null) {
      return;
    }
    try {
      pubSub.sync().unsubscribe(layout.channel(ns));
    } catch (RuntimeException e) {
      // The subscription is gone for the caller either way; the channel goes with the
      // connection at the latest.
      LOG.warn(
          "backend '{}': could not unsubscribe from the events of namespace '{}': {}",
          backend,
          ns,
          Errors.redact(String.valueOf(e.getMessage())));
    }
  }

  /** Parses {@code T<version>|<key>} from the channel of a namespace and dispatches it. */
  private void deliver(String channel, byte[] message) {
    String ns = layout.namespaceOf(channel);
    String payload = new String(message, StandardCharsets.UTF_8);
    int bar = payload.indexOf('|');
    ChangeEvent.Type type =
        switch (payload.isEmpty() ? ' ' : payload.charAt(0)) {
          case 'P' -> ChangeEvent.Type.PUT;
          case 'D' -> ChangeEvent.Type.DELETE;
          case 'E' -> ChangeEvent.Type.EXPIRE;
          default -> null;
        };
    if (ns == null || type == null || bar < 2) {
      LOG.warn("backend '{}': ignored a message that is no change event on {}", backend, channel);
      return;
    }
    long version;
    try {
      version = Long.parseLong(payload.substring(1, bar));
    } catch (NumberFormatException e) {
      LOG.warn("backend '{}': ignored a change event without a version on {}", backend, channel, e);
      return;
    }
    dispatcher.publish(new ChangeEvent(type, ns, payload.substring(bar + 1), version));
  }

  /** Closes the pub/sub connection, then delivers the events already queued. */
  @Override
  public synchronized void close() {
    if (pubSub != null) {
      pubSub.close();
      pubSub = null;
    }
    dispatcher.close();
  }
}

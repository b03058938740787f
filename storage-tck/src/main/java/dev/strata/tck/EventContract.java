package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.strata.api.ChangeEvent;
import dev.strata.api.ChangeEvent.Type;
import dev.strata.api.Commit;
import dev.strata.api.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Change events: PUT, DELETE and EXPIRE with key and version, to the subscribers of the namespace
 * only, in the order of the changes within this process. Waits are bounded; the absence of an event
 * is checked after a later marker event has arrived.
 */
abstract class EventContract extends ContractGroup {
  private final List<Subscription> subscriptions = new ArrayList<>();

  EventContract(StorageContract contract) {
    super(contract);
  }

  @AfterEach
  final void closeSubscriptions() {
    subscriptions.forEach(Subscription::close);
  }

  private BlockingQueue<ChangeEvent> subscribe(String namespace) {
    BlockingQueue<ChangeEvent> queue = new LinkedBlockingQueue<>();
    subscriptions.add(storage.subscribe(namespace, queue::add));
    return queue;
  }

  /**
   * Subscribes to {@code ns} after writes to it, and first takes in, up to a marker, what those
   * writes may still deliver: the API promises the events of writes that start after {@code
   * subscribe} returns, not silence about earlier ones. A Redis Cluster relays events over its bus
   * from the namespace's node to the subscriber's, so an earlier write's event can arrive late.
   */
  private BlockingQueue<ChangeEvent> subscribeAfterWrites() {
    BlockingQueue<ChangeEvent> queue = subscribe(ns);
    eventsUntilMarker(queue);
    return queue;
  }

  /** Writes a marker key and returns every event up to and including the marker's. */
  private List<ChangeEvent> eventsUntilMarker(BlockingQueue<ChangeEvent> queue) {
    storage.put(ns, "~marker", bytes("m"));
    List<ChangeEvent> events = new ArrayList<>();
    while (true) {
      ChangeEvent event = poll(queue);
      if (event.key().equals("~marker") && event.namespace().equals(ns)) {
        return events;
      }
      events.add(event);
    }
  }

  @Test
  void aPutIsDeliveredWithTheVersionPutReturned() {
    BlockingQueue<ChangeEvent> events = subscribe(ns);

    long version = storage.put(ns, "k", bytes("v"));

    assertThat(poll(events)).isEqualTo(new ChangeEvent(Type.PUT, ns, "k", version));
  }

  @Test
  void aDeleteIsDeliveredWithANewerVersion() {
    long version = storage.put(ns, "k", bytes("v"));
    BlockingQueue<ChangeEvent> events = subscribeAfterWrites();

    storage.delete(ns, "k");

    ChangeEvent event = poll(events);
    assertThat(event.type()).isEqualTo(Type.DELETE);
    assertThat(event.namespace()).isEqualTo(ns);
    assertThat(event.key()).isEqualTo("k");
    assertThat(event.version()).isGreaterThan(version);
  }

  @Test
  void anExpiryIsDeliveredWhenTheEntryIsPurged() {
    Duration ttl = shortTtl();
    long version = storage.put(ns, "k", bytes("v"), ttl);
    BlockingQueue<ChangeEvent> events = subscribeAfterWrites();
    letExpire(ttl, "k");

    storage.purgeExpired();

    assertThat(poll(events)).isEqualTo(new ChangeEvent(Type.EXPIRE, ns, "k", version));
  }

  @Test
  void eventsArriveInTheOrderOfTheChanges() {
    BlockingQueue<ChangeEvent> events = subscribe(ns);

    long a1 = storage.put(ns, "a", bytes("1"));
    long b1 = storage.put(ns, "b", bytes("1"));
    storage.delete(ns, "a");
    long a2 = storage.put(ns, "a", bytes("2"));

    List<ChangeEvent> received = eventsUntilMarker(events);
    assertThat(received)
        .extracting(ChangeEvent::type, ChangeEvent::key)
        .containsExactly(
            tuple(Type.PUT, "a"),
            tuple(Type.PUT, "b"),
            tuple(Type.DELETE, "a"),
            tuple(Type.PUT, "a"));
    assertThat(received.get(0).version()).isEqualTo(a1);
    assertThat(received.get(1).version()).isEqualTo(b1);
    assertThat(received.get(2).version()).isBetween(a1 + 1, a2 - 1);
    assertThat(received.get(3).version()).isEqualTo(a2);
  }

  @Test
  void concurrentWritersEventsOfOneKeyArriveInVersionOrder() throws Exception {
    BlockingQueue<ChangeEvent> events = subscribe(ns);
    int threads = 4;
    int writes = 150;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < writes; i++) {
                    storage.put(ns, "k", bytes("v"));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<ChangeEvent> received = eventsUntilMarker(events);
    assertThat(received).hasSize(threads * writes);
    assertThat(received)
        .extracting(ChangeEvent::version)
        .as("versions of one key in arrival order")
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(received.get(received.size() - 1).version())
        .isEqualTo(storage.get(ns, "k").orElseThrow().version());
  }

  @Test
  void everyKindOfWriteIsDelivered() {
    storage.put(ns, "gone", bytes("v"));
    BlockingQueue<ChangeEvent> events = subscribeAfterWrites();

    long p = storage.putIfAbsent(ns, "p", bytes("v")).orElseThrow();
    long c = storage.compareAndSet(ns, "p", p, bytes("w")).orElseThrow();
    long n = storage.increment(ns, "n", 1);
    Map<String, Long> many = storage.putMany(ns, Map.of("m", bytes("v")));
    storage.commit(ns, Commit.builder().delete("gone").build());
    storage.deleteMany(ns, List.of("m"));

    List<ChangeEvent> received = eventsUntilMarker(events);
    assertThat(received)
        .extracting(ChangeEvent::type, ChangeEvent::key)
        .containsExactly(
            tuple(Type.PUT, "p"),
            tuple(Type.PUT, "p"),
            tuple(Type.PUT, "n"),
            tuple(Type.PUT, "m"),
            tuple(Type.DELETE, "gone"),
            tuple(Type.DELETE, "m"));
    assertThat(received.subList(0, 4))
        .extracting(ChangeEvent::version)
        .containsExactly(p, c, versionOf("n"), many.get("m"));
    assertThat(n).isEqualTo(1);
  }

  @Test
  void failedConditionsAndReadsDeliverNothing() {
    long version = storage.put(ns, "k", bytes("v"));
    BlockingQueue<ChangeEvent> events = subscribeAfterWrites();

    storage.putIfAbsent(ns, "k", bytes("x"));
    storage.compareAndSet(ns, "k", version + 1, bytes("x"));
    storage.delete(ns, "k", version + 1);
    storage.get(ns, "k");
    storage.getMany(ns, List.of("k"));

    assertThat(eventsUntilMarker(events)).isEmpty();
  }

  @Test
  void eventsOfOtherNamespacesAreNotDelivered() {
    String other = newNamespace();
    BlockingQueue<ChangeEvent> events = subscribe(ns);

    storage.put(other, "k", bytes("v"));
    storage.increment(other, "c", 1);
    storage.delete(other, "k");

    assertThat(eventsUntilMarker(events)).isEmpty();
  }

  @Test
  void everySubscriberOfANamespaceReceivesEachEvent() {
    BlockingQueue<ChangeEvent> first = subscribe(ns);
    BlockingQueue<ChangeEvent> second = subscribe(ns);

    long version = storage.put(ns, "k", bytes("v"));

    ChangeEvent expected = new ChangeEvent(Type.PUT, ns, "k", version);
    assertThat(poll(first)).isEqualTo(expected);
    assertThat(poll(second)).isEqualTo(expected);
  }

  @Test
  void closingASubscriptionStopsDelivery() {
    BlockingQueue<ChangeEvent> closed = new LinkedBlockingQueue<>();
    Subscription subscription = storage.subscribe(ns, closed::add);
    BlockingQueue<ChangeEvent> open = subscribe(ns);
    storage.put(ns, "before", bytes("v"));
    assertThat(poll(closed).key()).isEqualTo("before");

    subscription.close();
    subscription.close(); // idempotent
    storage.put(ns, "after", bytes("v"));

    assertThat(eventsUntilMarker(open))
        .extracting(ChangeEvent::key)
        .containsExactly("before", "after");
    assertThat(closed).isEmpty();
  }

  @Test
  void aThrowingListenerDoesNotStopDeliveryToItselfOrOthers() {
    AtomicInteger calls = new AtomicInteger();
    subscriptions.add(
        storage.subscribe(
            ns,
            event -> {
              calls.incrementAndGet();
              throw new IllegalStateException("a listener failing on purpose, in a test");
            }));
    BlockingQueue<ChangeEvent> events = subscribe(ns);

    storage.put(ns, "a", bytes("v"));
    storage.put(ns, "b", bytes("v"));

    assertThat(eventsUntilMarker(events)).extracting(ChangeEvent::key).containsExactly("a", "b");
    awaitTrue("the throwing listener got every event", () -> calls.get() == 3);
  }
}

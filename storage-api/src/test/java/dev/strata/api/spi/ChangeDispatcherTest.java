package dev.strata.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.strata.api.ChangeEvent;
import dev.strata.api.ChangeListener;
import dev.strata.api.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChangeDispatcherTest {
  /** Every wait in this class is bounded by this. */
  private static final long WAIT_SECONDS = 10;

  // Failing listeners and dropped events are logged as warnings; the tests cause both on purpose.
  private static final Logger LOGGER = Logger.getLogger(ChangeDispatcher.class.getName());
  private static Level savedLevel;

  private final List<ChangeDispatcher> dispatchers = new ArrayList<>();

  @BeforeAll
  static void quietLogger() {
    savedLevel = LOGGER.getLevel();
    LOGGER.setLevel(Level.OFF);
  }

  @AfterAll
  static void restoreLogger() {
    LOGGER.setLevel(savedLevel);
  }

  @AfterEach
  void closeDispatchers() {
    dispatchers.forEach(ChangeDispatcher::close);
  }

  private ChangeDispatcher dispatcher(String backend, int capacity) {
    ChangeDispatcher dispatcher = new ChangeDispatcher(backend, capacity);
    dispatchers.add(dispatcher);
    return dispatcher;
  }

  private ChangeDispatcher dispatcher() {
    ChangeDispatcher dispatcher = new ChangeDispatcher("test");
    dispatchers.add(dispatcher);
    return dispatcher;
  }

  private static ChangeEvent put(String namespace, String key, long version) {
    return new ChangeEvent(ChangeEvent.Type.PUT, namespace, key, version);
  }

  private static ChangeEvent next(BlockingQueue<ChangeEvent> queue) throws InterruptedException {
    ChangeEvent event = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(event).as("an event within %d s", WAIT_SECONDS).isNotNull();
    return event;
  }

  private static List<ChangeEvent> take(BlockingQueue<ChangeEvent> queue, int n)
      throws InterruptedException {
    List<ChangeEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(next(queue));
    }
    return events;
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("latch released within %d s", WAIT_SECONDS)
        .isTrue();
  }

  @Test
  void closeFromAListenerReturnsAtOnceAndTheQueuedEventsAreStillDelivered() throws Exception {
    ChangeDispatcher dispatcher = dispatcher();
    BlockingQueue<ChangeEvent> received = new LinkedBlockingQueue<>();
    CountDownLatch queued = new CountDownLatch(1);
    BlockingQueue<Long> closeNanos = new LinkedBlockingQueue<>();
    dispatcher.subscribe(
        "ns",
        event -> {
          received.add(event);
          if (event.version() == 1) {
            try {
              await(queued);
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
            long start = System.nanoTime();
            dispatcher.close();
            closeNanos.add(System.nanoTime() - start);
          }
        });

    dispatcher.publish(put("ns", "a", 1));
    dispatcher.publish(put("ns", "b", 2));
    dispatcher.publish(put("ns", "c", 3));
    queued.countDown();

    assertThat(take(received, 3)).extracting(ChangeEvent::version).containsExactly(1L, 2L, 3L);
    Long nanos = closeNanos.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(nanos).isNotNull();
    assertThat(Duration.ofNanos(nanos)).isLessThan(Duration.ofMillis(200));
    dispatcher.publish(put("ns", "d", 4));
    assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("nothing after close").isNull();
  }

  @Test
  void deliversEventsInOrderToTheListenersOfTheirNamespaceOnly() throws Exception {
    ChangeDispatcher dispatcher = dispatcher();
    BlockingQueue<ChangeEvent> a1 = new LinkedBlockingQueue<>();
    BlockingQueue<ChangeEvent> a2 = new LinkedBlockingQueue<>();
    BlockingQueue<ChangeEvent> b = new LinkedBlockingQueue<>();
    dispatcher.subscribe("a", a1::add);
    dispatcher.subscribe("a", a2::add);
    dispatcher.subscribe("b", b::add);

    List<ChangeEvent> toA = new ArrayList<>();
    List<ChangeEvent> toB = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      ChangeEvent event = put(i % 3 == 0 ? "b" : "a", "k" + i, i);
      (event.namespace().equals("a") ? toA : toB).add(event);
      dispatcher.publish(event);
      dispatcher.publish(put("c", "k" + i, i)); // nobody listens to c
    }
    dispatcher.publish(new ChangeEvent(ChangeEvent.Type.DELETE, "a", "last", 201));
    dispatcher.publish(new ChangeEvent(ChangeEvent.Type.EXPIRE, "b", "last", 202));
    toA.add(new ChangeEvent(ChangeEvent.Type.DELETE, "a", "last", 201));
    toB.add(new ChangeEvent(ChangeEvent.Type.EXPIRE, "b", "last", 202));

    assertThat(take(a1, toA.size())).isEqualTo(toA);
    assertThat(take(a2, toA.size())).isEqualTo(toA);
    assertThat(take(b, toB.size())).isEqualTo(toB);
    // The last event of each namespace arrived, so anything misrouted would have arrived too.
    assertThat(a1).isEmpty();
    assertThat(a2).isEmpty();
    assertThat(b).isEmpty();
    assertThat(dispatcher.droppedEvents()).isZero();
  }

  @Test
  void namespacesAreMatchedExactly() throws Exception {
    ChangeDispatcher dispatcher = dispatcher();
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    dispatcher.subscribe("users", events::add);
    dispatcher.publish(put("Users", "k", 1));
    dispatcher.publish(put("users2", "k", 2));
    dispatcher.publish(put("user", "k", 3));
    dispatcher.publish(put("users", "k", 4));
    assertThat(next(events).version()).isEqualTo(4);
    assertThat(events).isEmpty();
  }

  @Test
  void closingASubscriptionStopsDelivery() throws Exception {
    ChangeDispatcher dispatcher = dispatcher();
    BlockingQueue<ChangeEvent> closed = new LinkedBlockingQueue<>();
    BlockingQueue<ChangeEvent> open = new LinkedBlockingQueue<>();
    Subscription subscription = dispatcher.subscribe("a", closed::add);
    dispatcher.subscribe("a", open::add);

    dispatcher.publish(put("a", "k", 1));
    assertThat(next(closed).version()).isEqualTo(1);
    assertThat(next(open).version()).isEqualTo(1);

    subscription.close();
    dispatcher.publish(put("a", "k", 2));
    // Both listeners get an event in the same pass, so once the open one has it, the closed one
    // would have had it too.
    assertThat(next(open).version()).isEqualTo(2);
    assertThat(closed).isEmpty();
  }

  @Test
  void closingASubscriptionTwiceLeavesOtherSubscriptionsOfTheSameListener() throws Exception {
    ChangeDispatcher dispatcher = dispatcher();
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    ChangeListener listener = events::add;
    Subscription first = dispatcher.subscribe("a", listener);
    dispatcher.subscribe("a", listener);

    first.close();
    first.close();
    assertThat(dispatcher.hasListeners("a")).isTrue();
    dispatcher.publish(put("a", "k", 1));
    assertThat(next(events).version()).isEqualTo(1);
    dispatcher.publish(put("a", "k", 2));
    assertThat(next(events).version()).isEqualTo(2);
    assertThat(events).isEmpty();
  }

  @Test
  void hasListenersFollowsSubscriptions() {
    ChangeDispatcher dispatcher = dispatcher();
    assertThat(dispatcher.hasListeners("a")).isFalse();
    Subscription one = dispatcher.subscribe("a", event -> {});
    Subscription two = dispatcher.subscribe("a", event -> {});
    assertThat(dispatcher.hasListeners("a")).isTrue();
    assertThat(dispatcher.hasListeners("b")).isFalse();
    one.close();
    assertThat(dispatcher.hasListeners("a")).isTrue();
    two.close();
    assertThat(dispatcher.hasListeners("a")).isFalse();
  }

  @Test
  void aThrowingListenerDoesNotStopDeliveryToOthersOrToItself() throws Exception {
    ChangeDispatcher dispatcher = dispatcher();
    AtomicInteger calls = new AtomicInteger();
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    dispatcher.subscribe(
        "a",
        event -> {
          calls.incrementAndGet();
          throw new IllegalStateException("listener failed");
        });
    dispatcher.subscribe("a", events::add);
    dispatcher.subscribe(
        "a",
        event -> {
          throw new AssertionError("an Error, not an Exception");
        });

    for (int i = 1; i <= 3; i++) {
      dispatcher.publish(put("a", "k", i));
    }
    assertThat(take(events, 3)).extracting(ChangeEvent::version).containsExactly(1L, 2L, 3L);
    assertThat(calls).hasValue(3);

    // The dispatcher thread survived the Error too.
    dispatcher.publish(put("a", "k", 4));
    assertThat(next(events).version()).isEqualTo(4);
  }

  @Test
  void anInterruptLeftByAListenerDoesNotStopDelivery() throws Exception {
    ChangeDispatcher dispatcher = dispatcher();
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    dispatcher.subscribe(
        "a",
        event -> {
          events.add(event);
          Thread.currentThread().interrupt(); // as a listener that restores an interrupt does
        });
    dispatcher.publish(put("a", "k", 1));
    assertThat(next(events).version()).isEqualTo(1);
    dispatcher.publish(put("a", "k", 2));
    assertThat(next(events).version()).isEqualTo(2);
  }

  @Test
  void publishNeverBlocksWhenTheQueueIsFullAndCountsWhatItDrops() throws Exception {
    ChangeDispatcher dispatcher = dispatcher("full", 2);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    dispatcher.subscribe(
        "a",
        event -> {
          entered.countDown();
          try {
            release.await(WAIT_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          events.add(event);
        });

    dispatcher.publish(put("a", "k", 1));
    await(entered); // the listener holds event 1; the queue is empty
    assertTimeoutPreemptively(
        Duration.ofSeconds(WAIT_SECONDS),
        () -> {
          for (int i = 2; i <= 1001; i++) {
            dispatcher.publish(put("a", "k", i));
          }
        });
    // Events 2 and 3 fill the queue; 4 to 1001 are dropped.
    assertThat(dispatcher.droppedEvents()).isEqualTo(998);

    release.countDown();
    assertThat(take(events, 3)).extracting(ChangeEvent::version).containsExactly(1L, 2L, 3L);
    dispatcher.publish(put("a", "k", 1002));
    assertThat(next(events).version()).isEqualTo(1002);
    assertThat(dispatcher.droppedEvents()).isEqualTo(998);
  }

  @Test
  void eventsNobodyListensToAreNeitherQueuedNorDropped() throws Exception {
    ChangeDispatcher dispatcher = dispatcher("quiet", 1);
    for (int i = 0; i < 100; i++) {
      dispatcher.publish(put("nobody", "k", i));
    }
    assertThat(dispatcher.droppedEvents()).isZero();
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    dispatcher.subscribe("a", events::add);
    dispatcher.publish(put("a", "k", 1));
    assertThat(next(events).version()).isEqualTo(1);
  }

  @Test
  void closeDeliversWhatIsQueuedStopsTheThreadAndIsIdempotent() throws Exception {
    String backend = "closing-" + System.nanoTime();
    ChangeDispatcher dispatcher = dispatcher(backend, 64);
    Thread thread = dispatcherThread(backend);
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    dispatcher.subscribe("a", events::add);
    for (int i = 1; i <= 10; i++) {
      dispatcher.publish(put("a", "k", i));
    }
    dispatcher.close();
    List<ChangeEvent> delivered = new ArrayList<>();
    events.drainTo(delivered);
    assertThat(delivered)
        .extracting(ChangeEvent::version)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertThat(thread.isAlive()).isFalse();

    dispatcher.close();
    dispatcher.publish(put("a", "k", 11));
    assertThat(dispatcher.droppedEvents()).isZero();
    assertThat(events.poll(100, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void closeIsBoundedInTimeAndStopsTheThreadEvenWhenAListenerIsStuck() throws Exception {
    String backend = "stuck-" + System.nanoTime();
    ChangeDispatcher dispatcher = dispatcher(backend, 1);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    dispatcher.subscribe(
        "a",
        event -> {
          entered.countDown();
          try {
            release.await(WAIT_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() interrupts a stuck listener
          }
        });
    dispatcher.publish(put("a", "k", 1));
    await(entered);
    dispatcher.publish(put("a", "k", 2)); // fills the queue, so close() cannot even queue STOP
    Thread thread = dispatcherThread(backend);

    try {
      assertTimeoutPreemptively(Duration.ofSeconds(5), dispatcher::close);
      assertTimeoutPreemptively(Duration.ofSeconds(1), dispatcher::close);
      thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertThat(thread.isAlive()).as("the dispatcher thread is alive after close").isFalse();
    } finally {
      release.countDown();
    }
  }

  @Test
  void threadIsNamedAfterTheBackendAndIsADaemon() {
    String backend = "named-" + System.nanoTime();
    dispatcher(backend, 4);
    Thread thread = dispatcherThread(backend);
    assertThat(thread.isDaemon()).isTrue();
    assertThat(thread.isAlive()).isTrue();
  }

  @Test
  void rejectsNulls() {
    ChangeDispatcher dispatcher = dispatcher();
    assertThatNullPointerException().isThrownBy(() -> new ChangeDispatcher(null));
    assertThatNullPointerException()
        .isThrownBy(() -> dispatcher.subscribe("a", null))
        .withMessage("listener");
    assertThatNullPointerException().isThrownBy(() -> dispatcher.publish(null));
  }

  /** The thread of a dispatcher, found by the name it takes from the backend. */
  private static Thread dispatcherThread(String backend) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("strata-events-" + backend))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no thread for backend " + backend));
  }
}

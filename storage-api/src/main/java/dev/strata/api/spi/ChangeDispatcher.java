package dev.strata.api.spi;

import dev.strata.api.ChangeEvent;
import dev.strata.api.ChangeListener;
import dev.strata.api.Subscription;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers change events to the listeners of this process, for implementations: one daemon thread
 * per dispatcher, events in the order they were published, each listener isolated from the others'
 * exceptions. Publishing never blocks a writer: the queue is bounded, and when listeners fall that
 * far behind, new events are dropped, counted and logged. Thread-safe.
 */
public final class ChangeDispatcher implements AutoCloseable {
  /** The default bound of the queue of undelivered events: {@value}. */
  public static final int DEFAULT_QUEUE_CAPACITY = 65_536;

  private static final System.Logger LOG = System.getLogger(ChangeDispatcher.class.getName());
  private static final ChangeEvent STOP = new ChangeEvent(ChangeEvent.Type.PUT, "", "", 0);
  private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String backend;
  private final BlockingQueue<ChangeEvent> queue;
  private final Map<String, List<Registration>> listeners = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean abandoned;

  /**
   * Creates a dispatcher with the default queue bound and starts its thread.
   *
   * @param backend the backend's name, for the thread's name and messages
   */
  public ChangeDispatcher(String backend) {
    this(backend, DEFAULT_QUEUE_CAPACITY);
  }

  /**
   * Creates a dispatcher and starts its thread.
   *
   * @param backend the backend's name, for the thread's name and messages
   * @param queueCapacity the most undelivered events held
   */
  public ChangeDispatcher(String backend, int queueCapacity) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.thread = new Thread(this::run, "strata-events-" + backend);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Registers a listener for one namespace.
   *
   * @param namespace a valid namespace
   * @param listener the listener
   * @return the subscription, which removes this registration when closed (closing it again does
   *     nothing; other subscriptions of the same listener stay)
   */
  public Subscription subscribe(String namespace, ChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    List<Registration> list =
        listeners.computeIfAbsent(namespace, ns -> new CopyOnWriteArrayList<>());
    // Each subscription removes its own registration (by identity), so closing it twice, or
    // closing one of two subscriptions of the same listener, leaves the others in place.
    Registration registration = new Registration(listener);
    list.add(registration);
    return () -> list.remove(registration);
  }

  /**
   * Whether anyone listens to a namespace, so that a backend can skip making events.
   *
   * @param namespace the namespace
   * @return {@code true} if at least one listener is registered
   */
  public boolean hasListeners(String namespace) {
    List<Registration> list = listeners.get(namespace);
    return list != null && !list.isEmpty();
  }

  /**
   * Queues an event for delivery, if anyone listens to its namespace. Never blocks.
   *
   * @param event the event
   */
  public void publish(ChangeEvent event) {
    if (closed.get() || !hasListeners(event.namespace())) {
      return;
    }
    if (!queue.offer(event)) {
      long n = dropped.incrementAndGet();
      if (Long.bitCount(n) == 1) { // 1, 2, 4, 8, ...: loud at first, then quieter
        LOG.log(
            Level.WARNING,
            "backend ''{0}'': change listeners are {1} events behind; {2} events dropped so far",
            backend,
            queue.size(),
            n);
      }
    }
  }

  /**
   * How many events were dropped because listeners fell behind.
   *
   * @return the count since creation
   */
  public long droppedEvents() {
    return dropped.get();
  }

  /**
   * Delivers what is queued and stops the thread, waiting at most one second in all; events still
   * undelivered then are dropped. Idempotent. Called from a listener, it does not wait: the
   * dispatcher's thread delivers what is queued once the listener returns, then stops.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() == thread) {
      queue.offer(STOP); // if the queue is full, the thread stops once it has drained it
      return;
    }
    long deadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
    try {
      if (queue.offer(STOP, CLOSE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS)) {
        TimeUnit.NANOSECONDS.timedJoin(thread, deadline - System.nanoTime());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      abandoned = true;
      thread.interrupt();
    }
  }

  private void run() {
    while (true) {
      if (abandoned) {
        return; // close() gave up waiting: drop the rest
      }
      ChangeEvent event;
      try {
        // Once closed, drain what is queued without blocking: STOP may not have fit in the queue.
        event = closed.get() ? queue.poll() : queue.take();
      } catch (InterruptedException e) {
        if (closed.get()) {
          return;
        }
        // Only close() interrupts this thread on purpose; an interrupt a listener left behind
        // must not end delivery for everyone.
        continue;
      }
      if (event == null || event == STOP) {
        return;
      }
      List<Registration> list = listeners.get(event.namespace());
      if (list == null) {
        continue;
      }
      for (Registration registration : list) {
        try {
          registration.listener.onChange(event);
        } catch (Throwable e) {
          // Any throwable, not only RuntimeException: an Error or a sneaky checked exception
          // from one listener must not kill the thread and end delivery for every listener.
          LOG.log(
              Level.WARNING,
              "backend '"
                  + backend
                  + "': change listener "
                  + registration.listener
                  + " failed on "
                  + event,
              e);
        }
      }
    }
  }

  /** One subscription of a listener; compared by identity. */
  private static final class Registration {
    final ChangeListener listener;

    Registration(ChangeListener listener) {
      this.listener = listener;
    }
  }
}

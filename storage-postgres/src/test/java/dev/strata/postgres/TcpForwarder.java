package dev.strata.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Forwards every TCP connection it accepts on a local address to a server, byte for byte: the
 * server under another address, for tests of what a client does with the address it connects to.
 * {@link #close()} closes every connection. Thread-safe.
 */
final class TcpForwarder implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "tcp-forwarder");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * Listens on a free port of an address and forwards to a server.
   *
   * @param address where to listen
   * @param target the server
   * @throws IOException if it cannot listen there
   */
  TcpForwarder(InetAddress address, InetSocketAddress target) throws IOException {
    this.listener = new ServerSocket(0, 50, address);
    this.target = target;
    threads.execute(this::accept);
  }

  /** The port it listens on. */
  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket upstream = new Socket();
      sockets.add(client);
      sockets.add(upstream);
      try {
        upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
        threads.execute(() -> pump(client, upstream));
        threads.execute(() -> pump(upstream, client));
      } catch (IOException | RuntimeException e) {
        closeQuietly(client);
        closeQuietly(upstream);
      }
    }
  }

  /** Copies one direction until either side ends, then closes both. */
  private void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException ignored) {
      // Either side closed: the connection is over.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(Socket socket) {
    sockets.remove(socket);
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing more to do with it.
    }
  }

  /** Stops listening and closes every connection; waits at most 5 s for its threads. */
  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

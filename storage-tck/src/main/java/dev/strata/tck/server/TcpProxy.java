package dev.strata.tck.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy for fault and TLS tests: it forwards every connection it accepts to a server, byte
 * for byte, so that tests can reach the server under another address; and it can swallow the
 * server's replies and cut every connection, so that a test can let a command reach the server,
 * keep its reply from the client, then break the connection with the command in flight. {@link
 * #close()} closes every connection. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean swallowReplies;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "tcp-proxy");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * Listens on a free port of the loopback address and forwards to a server.
   *
   * @param target the server
   * @throws IOException if it cannot listen
   */
  public TcpProxy(InetSocketAddress target) throws IOException {
    this(InetAddress.getLoopbackAddress(), target);
  }

  /**
   * Listens on a free port of an address and forwards to a server.
   *
   * @param address where to listen, such as {@code 127.0.0.2}
   * @param target the server
   * @throws IOException if it cannot listen there
   */
  public TcpProxy(InetAddress address, InetSocketAddress target) throws IOException {
    this.listener = new ServerSocket(0, 50, address);
    this.target = target;
    threads.execute(this::accept);
  }

  /**
   * Returns the port it listens on.
   *
   * @return the port
   */
  public int port() {
    return listener.getLocalPort();
  }

  /** From now on, the server's replies go nowhere. */
  public void swallowReplies() {
    swallowReplies = true;
  }

  /** Closes every connection, and passes replies again on the next ones. */
  public void cutAll() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        throw new IllegalStateException("closing a proxied connection", e);
      }
    }
    sockets.clear();
    swallowReplies = false;
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
      try {
        upstream.connect(target, 5_000);
      } catch (IOException e) {
        close(client);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      threads.execute(() -> pump(client, upstream, false));
      threads.execute(() -> pump(upstream, client, true));
    }
  }

  private void pump(Socket from, Socket to, boolean replies) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (!(replies && swallowReplies)) {
          out.write(buffer, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // One side went away: the pair ends.
    } finally {
      close(from);
      close(to);
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a socket of a pair that has ended; nothing is left to release.
    }
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() throws IOException {
    listener.close();
    cutAll();
    threads.shutdownNow();
  }
}

package io.clustermonitor.exporters.web;

/**
 * A streamed response body (e.g. Server-Sent Events), returned by {@link WebResponse#stream(int,
 * String, WebStream)}. The server sends the status and headers, then calls {@link #open} once with
 * a {@link Sink}; the request's handler thread and its concurrency permit are released right away,
 * so a stream costs no thread while it waits. Whoever produces the data writes to the sink from its
 * own thread, without blocking.
 */
@FunctionalInterface
public interface WebStream {

  /**
   * Called once the headers are on their way; must not block.
   *
   * @param sink where to write the body, from any thread
   */
  void open(Sink sink);

  /** The client end of a stream. Thread-safe. */
  interface Sink {
    /**
     * Queues bytes for the client without blocking. Returns {@code false} (and sends nothing) when
     * the stream is closed or the previous write has not been taken by the client yet: a slow
     * client drops data instead of buffering it.
     *
     * @param bytes the next chunk of the body
     * @return whether the bytes were queued
     */
    boolean offer(byte[] bytes);

    /** Ends the response (idempotent); the connection may be reused. */
    void close();

    /**
     * Whether the stream is still open.
     *
     * @return {@code false} once the stream ended
     */
    boolean isOpen();

    /**
     * Runs {@code hook} once when the stream ends, for whatever reason: {@link #close()}, a failed
     * write, the client going away, the server stopping. Runs at once when already closed.
     *
     * @param hook what to run when the stream ends
     */
    void onClose(Runnable hook);
  }
}

package io.clustermonitor.core.internal;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.clustermonitor.core.ClusterMonitorException;
import io.clustermonitor.core.ContainerNotFoundException;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.EngineErrorException;
import io.clustermonitor.core.EngineTimeoutException;
import io.clustermonitor.core.EngineUnavailableException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns whatever docker-java or the transport throws into our exception family: 404 for a container
 * into {@link ContainerNotFoundException}; refused connections, missing sockets, TLS and I/O
 * failures into {@link EngineUnavailableException} naming the endpoint; expired timeouts into
 * {@link EngineTimeoutException}. An interrupt keeps the thread's interrupt flag. Thread-safe.
 */
public final class EngineErrors {
  private EngineErrors() {}

  /**
   * Translates a failure of a call to {@code endpoint}.
   *
   * @param container the id or name the call was about, or {@code null}
   * @return the exception to throw (never {@code null})
   */
  public static ClusterMonitorException translate(
      DockerEndpoint endpoint, String container, Throwable failure) {
    String where = endpoint.toString();
    if (failure instanceof ClusterMonitorException cme) {
      return cme;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof NotFoundException && container != null) {
        return new ContainerNotFoundException(container, failure);
      }
      if (t instanceof DockerException de) {
        return new EngineErrorException(
            where, de.getHttpStatus(), engineMessage(de.getMessage()), failure);
      }
      if (t instanceof InterruptedException || t instanceof ClosedByInterruptException) {
        Thread.currentThread().interrupt();
        return new ClusterMonitorException("Interrupted while calling " + where, failure);
      }
      if (isConnectTimeout(t)) {
        return new EngineTimeoutException(where, endpoint.connectTimeout(), failure);
      }
      if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
        return new EngineTimeoutException(where, endpoint.readTimeout(), failure);
      }
      if (t instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
        return new ClusterMonitorException("Interrupted while calling " + where, failure);
      }
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof NoSuchFileException
          || t instanceof FileNotFoundException
          || t instanceof SSLException
          || t instanceof SocketException) {
        return new EngineUnavailableException(where, reason(t), failure);
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException) {
        return new EngineUnavailableException(where, reason(t), failure);
      }
    }
    return new ClusterMonitorException(
        "Call to Docker engine at " + where + " failed: " + reason(failure), failure);
  }

  private static boolean isConnectTimeout(Throwable t) {
    // org.apache.hc.client5.http.ConnectTimeoutException, matched by name to keep httpclient5
    // types out of our signatures.
    return t.getClass().getSimpleName().equals("ConnectTimeoutException");
  }

  private static String reason(Throwable t) {
    String m = t.getMessage();
    String type = t.getClass().getSimpleName();
    if (m == null || m.isBlank()) {
      return type;
    }
    String lower = m.toLowerCase(Locale.ROOT);
    if (lower.contains("no such file") || lower.contains("connection refused")) {
      return firstLine(m);
    }
    return type + ": " + firstLine(m);
  }

  private static final Pattern STATUS_PREFIX = Pattern.compile("^Status \\d+: ");
  private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"([^\"]*)\"");

  /** docker-java's {@code Status 404: {"message":"..."}} reduced to the engine's message. */
  static String engineMessage(String s) {
    String m = STATUS_PREFIX.matcher(firstLine(s)).replaceFirst("");
    Matcher json = JSON_MESSAGE.matcher(m);
    return json.find() ? json.group(1) : m;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String trimmed = s.strip();
    int nl = trimmed.indexOf('\n');
    return nl < 0 ? trimmed : trimmed.substring(0, nl);
  }
}

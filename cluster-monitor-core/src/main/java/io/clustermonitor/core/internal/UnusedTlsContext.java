package io.clustermonitor.core.internal;

import com.github.dockerjava.transport.SSLConfig;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context given to docker-java for a {@code unix://} endpoint, where no TLS is ever spoken.
 *
 * <p>Given no {@link SSLConfig}, docker-java's httpclient5 transport (3.7.1) registers a TLS
 * strategy built on {@link SSLContext#getDefault()} for every address, a unix socket included. That
 * call reads and parses the JDK's CA certificates (about 140) and loads about 240 TLS, certificate
 * and crypto classes: about 1 MiB of live heap and the classes' metadata in every process that
 * talks to a local engine (docs/benchmarks.md, "Footprint"). The transport uses the context only
 * for {@code https} routes, which a unix socket never has, so a context that is never initialised
 * is enough. Every operation on it fails and says why, should a later docker-java use it after all.
 */
final class UnusedTlsContext extends SSLContext {
  /** Hands out the one instance. */
  static final SSLConfig CONFIG = UnusedTlsContext::instance;

  private static final UnusedTlsContext INSTANCE = new UnusedTlsContext();

  private UnusedTlsContext() {
    super(new Refusing(), null, "none");
  }

  private static SSLContext instance() {
    return INSTANCE;
  }

  /** The provider-side half: every call is refused. */
  private static final class Refusing extends SSLContextSpi {
    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException(
          "TLS is not used over a unix:// Docker socket; this context exists only so that"
              + " docker-java does not build the JVM's default one");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
      throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }
  }
}

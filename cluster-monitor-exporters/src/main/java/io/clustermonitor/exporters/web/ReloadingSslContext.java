package io.clustermonitor.exporters.web;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} that always delegates to the {@link ServerTls}'s current context: when
 * {@link ServerTls#generation()} changes, the next engine (the next handshake) comes from the new
 * context, and connections already open keep theirs. Every engine gets the {@link
 * ServerTls#parameters()}.
 */
final class ReloadingSslContext extends SSLContext {

  private ReloadingSslContext(Spi spi, SSLContext first) {
    super(spi, first.getProvider(), first.getProtocol());
  }

  /**
   * Wraps {@code tls}, reading its first context now.
   *
   * @throws IllegalArgumentException when the first context cannot be obtained
   */
  public static ReloadingSslContext of(ServerTls tls) {
    Spi spi = new Spi(tls);
    return new ReloadingSslContext(spi, spi.current());
  }

  /** The parameters to apply to each engine ({@code null} fields keep the JDK defaults). */
  static SSLParameters parameters(ServerTls tls) {
    SSLParameters p = tls.parameters();
    return p == null ? new SSLParameters() : p;
  }

  private static final class Spi extends SSLContextSpi {
    private final ServerTls tls;
    private SSLContext current;
    private long generation;

    Spi(ServerTls tls) {
      this.tls = tls;
    }

    synchronized SSLContext current() {
      long g = tls.generation();
      if (current == null || g != generation) {
        SSLContext next = tls.sslContext();
        if (next == null) {
          if (current == null) {
            throw new IllegalArgumentException("ServerTls returned no SSLContext");
          }
        } else {
          current = next;
        }
        generation = g;
      }
      return current;
    }

    private SSLEngine configure(SSLEngine engine) {
      SSLParameters p = parameters(tls);
      engine.setSSLParameters(p);
      engine.setUseClientMode(false);
      return engine;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException("initialised by its ServerTls");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return current().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return current().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return configure(current().createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return configure(current().createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return current().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return current().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return current().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return current().getSupportedSSLParameters();
    }
  }
}

package io.clustermonitor.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javax.net.ssl.SSLContext;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The context docker-java gets for a unix socket refuses every use, saying why. That a process
 * talking to a local engine builds no default TLS context is checked in a fresh JVM by the
 * examples' {@code LocalEngineNeedsNoTlsIT}.
 */
class UnusedTlsContextTest {
  @Test
  void everyUseIsRefusedWithTheReason() throws Exception {
    SSLContext ctx = UnusedTlsContext.CONFIG.getSSLContext();
    assertThat(UnusedTlsContext.CONFIG.getSSLContext()).isSameAs(ctx);
    List<ThrowingCallable> uses =
        List.of(
            () -> ctx.init(null, null, null),
            ctx::getSocketFactory,
            ctx::getServerSocketFactory,
            ctx::createSSLEngine,
            () -> ctx.createSSLEngine("localhost", 2376),
            ctx::getClientSessionContext,
            ctx::getServerSessionContext);
    for (ThrowingCallable use : uses) {
      assertThatThrownBy(use)
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("unix://");
    }
  }
}

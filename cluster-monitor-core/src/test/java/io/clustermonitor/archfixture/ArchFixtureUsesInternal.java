package io.clustermonitor.archfixture;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.internal.DockerApi;
import io.clustermonitor.core.internal.PrometheusText;

/** Test fixture: a class of "another module" using core.internal. */
public final class ArchFixtureUsesInternal {
  private ArchFixtureUsesInternal() {}

  /** Uses the documented PrometheusText and the undocumented DockerApi. */
  public static Object use(DockerEndpoint endpoint) throws PrometheusText.ParseException {
    PrometheusText.parse("x 1\n");
    return new DockerApi(endpoint, 1);
  }
}

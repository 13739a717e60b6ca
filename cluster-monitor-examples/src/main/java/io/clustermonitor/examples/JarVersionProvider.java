package io.clustermonitor.examples;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the jar's Implementation-Version. */
final class JarVersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = JarVersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"cluster-monitor " + (v == null ? "development build" : v)};
  }
}

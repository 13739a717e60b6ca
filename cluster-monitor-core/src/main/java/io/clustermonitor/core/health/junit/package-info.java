/**
 * JUnit 5 support for health checks. Needs {@code org.junit.jupiter:junit-jupiter-api} on the test
 * class path (an optional dependency of cluster-monitor-core); nothing else in the library uses it.
 */
package io.clustermonitor.core.health.junit;

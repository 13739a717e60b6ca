/**
 * Health checks as code: one-method {@link io.clustermonitor.core.health.HealthCheck}s, built-ins
 * from {@link io.clustermonitor.core.health.HealthChecks}, and {@link
 * io.clustermonitor.core.health.HealthSuite} to run them in parallel, wait for them or assert them.
 */
package io.clustermonitor.core.health;

package io.clustermonitor.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container's inspect data <b>without environment values</b>: {@link #environmentNames()} holds
 * only the variable names, because values routinely hold secrets. No field of this record, its
 * {@code toString()} or its JSON form ever carries an environment value.
 *
 * @param summary the listing fields
 * @param command entrypoint and arguments as one list
 * @param workingDir working directory
 * @param user the user the process runs as ("" for the image default)
 * @param environmentNames names of the environment variables, values removed
 * @param pid host pid of the init process (0 when not running)
 * @param networkMode network mode ({@code none}, {@code host}, ...)
 * @param restartPolicy restart policy name ({@code no}, {@code always}, ...)
 * @param mounts mounts as {@code source:destination[:ro]}
 * @param ports published ports as {@code hostIp:hostPort->containerPort/proto}
 * @param healthCheckCommand the health-check test command, empty without one
 * @param healthProbes the engine's record of the latest health-check runs, oldest first, empty
 *     without a health check
 */
public record ContainerDetails(
    ContainerSummary summary,
    List<String> command,
    String workingDir,
    String user,
    List<String> environmentNames,
    long pid,
    String networkMode,
    String restartPolicy,
    List<String> mounts,
    List<String> ports,
    List<String> healthCheckCommand,
    List<HealthProbe> healthProbes) {

  /** Copies the lists. */
  public ContainerDetails {
    Objects.requireNonNull(summary, "summary");
    command = List.copyOf(command == null ? List.of() : command);
    environmentNames = List.copyOf(environmentNames == null ? List.of() : environmentNames);
    mounts = List.copyOf(mounts == null ? List.of() : mounts);
    ports = List.copyOf(ports == null ? List.of() : ports);
    healthCheckCommand = List.copyOf(healthCheckCommand == null ? List.of() : healthCheckCommand);
    healthProbes = List.copyOf(healthProbes == null ? List.of() : healthProbes);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
    networkMode = networkMode == null ? "" : networkMode;
    restartPolicy = restartPolicy == null ? "" : restartPolicy;
  }

  /** Details without a record of health-check runs. */
  public ContainerDetails(
      ContainerSummary summary,
      List<String> command,
      String workingDir,
      String user,
      List<String> environmentNames,
      long pid,
      String networkMode,
      String restartPolicy,
      List<String> mounts,
      List<String> ports,
      List<String> healthCheckCommand) {
    this(
        summary,
        command,
        workingDir,
        user,
        environmentNames,
        pid,
        networkMode,
        restartPolicy,
        mounts,
        ports,
        healthCheckCommand,
        List.of());
  }

  /** Shortcut for {@code summary().id()}. */
  public String id() {
    return summary.id();
  }

  /** Shortcut for {@code summary().labels()}. */
  public Map<String, String> labels() {
    return summary.labels();
  }
}

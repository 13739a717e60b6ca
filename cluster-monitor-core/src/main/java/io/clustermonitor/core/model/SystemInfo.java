package io.clustermonitor.core.model;

import java.util.Objects;

/**
 * Facts about a Docker engine and its host, grouped in parts so that a new fact does not change
 * this record's shape.
 *
 * <p><b>Compatibility</b>: the flat accessors of 0.1 ({@code engineVersion()}, {@code cpus()},
 * {@code containersRunning()}, ...) remain for one release, deprecated, and delegate to the parts.
 *
 * @param host the engine's name (see {@code DockerEndpoint#name})
 * @param engine engine version, API version, drivers and image count
 * @param machine the host's operating system, kernel, CPUs and memory
 * @param counts containers by state
 * @param statsSource the stats source in use ({@code cgroup}, {@code engine-api}) or {@code none}
 */
public record SystemInfo(
    String host, EngineInfo engine, HostInfo machine, ContainerCounts counts, String statsSource) {

  /** Validates. */
  public SystemInfo {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(counts, "counts");
  }

  /**
   * Deprecated flat accessor: the engine version.
   *
   * @return {@code engine().version()}
   * @deprecated use {@code engine().version()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public String engineVersion() {
    return engine.version();
  }

  /**
   * Deprecated flat accessor: the negotiated API version.
   *
   * @return {@code engine().apiVersion()}
   * @deprecated use {@code engine().apiVersion()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public String apiVersion() {
    return engine.apiVersion();
  }

  /**
   * Deprecated flat accessor: the host's operating system.
   *
   * @return {@code machine().operatingSystem()}
   * @deprecated use {@code machine().operatingSystem()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public String operatingSystem() {
    return machine.operatingSystem();
  }

  /**
   * Deprecated flat accessor: the OS type.
   *
   * @return {@code machine().osType()}
   * @deprecated use {@code machine().osType()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public String osType() {
    return machine.osType();
  }

  /**
   * Deprecated flat accessor: the host's architecture.
   *
   * @return {@code machine().architecture()}
   * @deprecated use {@code machine().architecture()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public String architecture() {
    return machine.architecture();
  }

  /**
   * Deprecated flat accessor: the kernel release.
   *
   * @return {@code machine().kernelVersion()}
   * @deprecated use {@code machine().kernelVersion()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public String kernelVersion() {
    return machine.kernelVersion();
  }

  /**
   * Deprecated flat accessor: the engine host's name.
   *
   * @return {@code machine().hostname()}
   * @deprecated use {@code machine().hostname()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public String hostname() {
    return machine.hostname();
  }

  /**
   * Deprecated flat accessor: online CPUs.
   *
   * @return {@code machine().cpus()}
   * @deprecated use {@code machine().cpus()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public int cpus() {
    return machine.cpus();
  }

  /**
   * Deprecated flat accessor: total host memory.
   *
   * @return {@code machine().memoryBytes()}
   * @deprecated use {@code machine().memoryBytes()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long memoryBytes() {
    return machine.memoryBytes();
  }

  /**
   * Deprecated flat accessor: all containers.
   *
   * @return {@code counts().total()}
   * @deprecated use {@code counts().total()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public int containers() {
    return counts.total();
  }

  /**
   * Deprecated flat accessor: running containers.
   *
   * @return {@code counts().running()}
   * @deprecated use {@code counts().running()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public int containersRunning() {
    return counts.running();
  }

  /**
   * Deprecated flat accessor: paused containers.
   *
   * @return {@code counts().paused()}
   * @deprecated use {@code counts().paused()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public int containersPaused() {
    return counts.paused();
  }

  /**
   * Deprecated flat accessor: stopped containers.
   *
   * @return {@code counts().stopped()}
   * @deprecated use {@code counts().stopped()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public int containersStopped() {
    return counts.stopped();
  }

  /**
   * Deprecated flat accessor: images.
   *
   * @return {@code engine().images()}
   * @deprecated use {@code engine().images()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public int images() {
    return engine.images();
  }

  /**
   * Deprecated flat accessor: the storage driver.
   *
   * @return {@code engine().storageDriver()}
   * @deprecated use {@code engine().storageDriver()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public String storageDriver() {
    return engine.storageDriver();
  }

  /**
   * Deprecated flat accessor: the cgroup driver.
   *
   * @return {@code engine().cgroupDriver()}
   * @deprecated use {@code engine().cgroupDriver()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public String cgroupDriver() {
    return engine.cgroupDriver();
  }

  /**
   * Deprecated flat accessor: the cgroup version.
   *
   * @return {@code engine().cgroupVersion()}
   * @deprecated use {@code engine().cgroupVersion()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public String cgroupVersion() {
    return engine.cgroupVersion();
  }
}

package io.clustermonitor.core.livetest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second dockerd for tests that kill the engine: its own socket, data root, exec root and pid
 * file under a temp directory, so the shared engine stays up. Started and killed by PID only.
 */
public final class SecondDockerd implements AutoCloseable {
  private final Path dir;
  private final int tcpPort;
  private Process process;

  /** Prepares the directories; {@link #start()} launches the daemon. */
  public SecondDockerd() throws IOException {
    this(0);
  }

  /**
   * Same, with a second listener on {@code tcp://127.0.0.1:tcpPort} (no TLS, loopback only) when
   * {@code tcpPort} is positive.
   */
  public SecondDockerd(int tcpPort) throws IOException {
    // unix socket paths are limited to 108 bytes: keep the directory short
    this.dir = Files.createTempDirectory(Path.of("/tmp"), "cmd");
    this.tcpPort = tcpPort;
  }

  /** The tcp address, {@code tcp://127.0.0.1:PORT}; only with a tcp port. */
  public String tcpHost() {
    if (tcpPort <= 0) {
      throw new IllegalStateException("started without a tcp listener");
    }
    return "tcp://127.0.0.1:" + tcpPort;
  }

  /** The socket address, {@code unix:///tmp/cmdNNN/docker.sock}. */
  public String host() {
    return "unix://" + dir.resolve("docker.sock");
  }

  /** The daemon's PID, or -1 when not running. */
  public long pid() {
    return process != null && process.isAlive() ? process.pid() : -1;
  }

  /** Starts dockerd and waits (up to 60 s) until it answers. */
  public void start() throws IOException, InterruptedException {
    // A killed daemon leaves its pid file behind, and dockerd refuses to start over it.
    Files.deleteIfExists(dir.resolve("pid"));
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                "dockerd",
                "--bridge=none",
                "--iptables=false",
                "--ip-masq=false",
                "-H",
                host(),
                "--data-root",
                dir.resolve("data").toString(),
                "--exec-root",
                dir.resolve("exec").toString(),
                "--pidfile",
                dir.resolve("pid").toString()));
    if (tcpPort > 0) {
      cmd.addAll(List.of("-H", tcpHost()));
    }
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"));
        throw new IOException(
            "dockerd exited: "
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
      }
      if (run(List.of("docker", "-H", host(), "version", "--format", "{{.Server.Version}}"), 10)
          == 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IOException("dockerd did not come up in 60 s: see " + dir.resolve("dockerd.log"));
  }

  /**
   * Kills the daemon and the containerd it supervises with SIGKILL (a crash) and waits for them to
   * exit. Container shims are detached and survive, as in a real crash.
   */
  public void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      List<ProcessHandle> children = process.descendants().toList();
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      for (ProcessHandle h : children) {
        h.destroyForcibly();
        h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
      }
    }
  }

  /** Imports the test image from the host's busybox, as scripts/lib-env.sh does. */
  public void importTestImage() throws IOException, InterruptedException {
    String script =
        "set -e; d=$(mktemp -d); mkdir -p $d/bin $d/tmp $d/proc $d/sys $d/dev $d/etc;"
            + " cp /bin/busybox $d/bin/;"
            + " for c in sh sleep yes cat echo ls true false; do ln -s busybox $d/bin/$c; done;"
            + " tar -C $d -c . | docker -H "
            + host()
            + " import -c 'CMD [\"sh\"]' - "
            + DockerCli.IMAGE
            + " >/dev/null; rm -rf $d";
    if (run(List.of("sh", "-c", script), 120) != 0) {
      throw new IOException("importing the test image into the second dockerd failed");
    }
  }

  private static int run(List<String> cmd, int seconds) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** Kills the daemon and the containerd it started (by the PID in its pid file). */
  @Override
  public void close() throws IOException {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Path containerdPid = dir.resolve("exec/containerd/containerd.pid");
    if (Files.exists(containerdPid)) {
      long pid = Long.parseLong(Files.readString(containerdPid).trim());
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
                // kill the shims of its containers first, then containerd itself
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
              });
    }
    // Containers' cgroups and mounts go away with their processes; the data dir is left for
    // debugging when a test fails, and removed otherwise.
    try {
      run(List.of("sh", "-c", "umount " + dir + "/exec/netns/* 2>/dev/null; true"), 30);
      run(List.of("umount", "-R", dir.resolve("data").toString()), 30);
      run(List.of("rm", "-rf", dir.toString()), 60);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The daemon's log file. */
  public File log() {
    return dir.resolve("dockerd.log").toFile();
  }
}

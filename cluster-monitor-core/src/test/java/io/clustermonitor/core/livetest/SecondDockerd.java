package io.clustermonitor.core.livetest;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second dockerd for tests that kill the engine or need their own: its own socket, data root,
 * exec root and pid file under a temp directory, no bridge, no iptables, so the shared engine stays
 * up. Started and killed by PID only. {@link #tls} makes one that listens only on {@code
 * tcp://127.0.0.1:PORT} with {@code --tlsverify}.
 */
public final class SecondDockerd implements AutoCloseable {
  private final Path dir;
  private final int tcpPort;

  /** Daemon arguments for TLS, empty for a plain daemon. */
  private final List<String> tlsArgs;

  /** Docker CLI arguments for TLS, empty for a plain daemon. */
  private final List<String> clientTlsArgs;

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
    this(Files.createTempDirectory(Path.of("/tmp"), "cmd"), tcpPort, List.of(), List.of());
  }

  private SecondDockerd(Path dir, int tcpPort, List<String> tlsArgs, List<String> clientTlsArgs)
      throws IOException {
    this.dir = Files.createDirectories(dir);
    this.tcpPort = tcpPort;
    this.tlsArgs = tlsArgs;
    this.clientTlsArgs = clientTlsArgs;
  }

  /**
   * A daemon that listens only on {@code tcp://127.0.0.1:PORT} (a free port) with {@code
   * --tlsverify}: it presents {@code serverCerts/cert.pem} and {@code key.pem} and accepts clients
   * whose certificate {@code serverCerts/ca.pem} signed; {@link #start()} waits until {@code docker
   * version} answers with the client certificates in {@code clientCerts}.
   */
  public static SecondDockerd tls(Path dir, Path serverCerts, Path clientCerts) throws IOException {
    return new SecondDockerd(dir, freePort(), tlsArgs(serverCerts), tlsArgs(clientCerts));
  }

  /**
   * {@code --tlsverify} with the {@code ca.pem}, {@code cert.pem} and {@code key.pem} in {@code
   * certs}.
   */
  private static List<String> tlsArgs(Path certs) {
    return List.of(
        "--tlsverify",
        "--tlscacert",
        certs.resolve("ca.pem").toString(),
        "--tlscert",
        certs.resolve("cert.pem").toString(),
        "--tlskey",
        certs.resolve("key.pem").toString());
  }

  /** The tcp port, or 0 without a tcp listener. */
  public int port() {
    return tcpPort;
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
                "--data-root",
                dir.resolve("data").toString(),
                "--exec-root",
                dir.resolve("exec").toString(),
                "--pidfile",
                dir.resolve("pid").toString()));
    if (tlsArgs.isEmpty()) {
      cmd.addAll(List.of("-H", host()));
    }
    if (tcpPort > 0) {
      cmd.addAll(List.of("-H", tcpHost()));
    }
    cmd.addAll(tlsArgs);
    List<String> version = new java.util.ArrayList<>(List.of("docker"));
    version.addAll(clientTlsArgs);
    version.addAll(
        List.of(
            "-H",
            tlsArgs.isEmpty() ? host() : tcpHost(),
            "version",
            "--format",
            "{{.Server.Version}}"));
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("dockerd exited:\n" + tail());
      }
      if (run(version, 10) == 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IOException("dockerd did not answer in 60 s:\n" + tail());
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
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

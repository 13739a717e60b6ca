package io.clustermonitor.core.livetest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second dockerd listening only on {@code tcp://127.0.0.1:PORT} with {@code --tlsverify}: its own
 * data root, exec root and pid file under a temp directory, no bridge, no iptables, so the shared
 * engine and its socket are untouched. Stopped by PID.
 */
public final class TlsDockerd implements AutoCloseable {
  private final Path dir;
  private final Path serverCerts;
  private final int port;
  private Process process;

  /**
   * Prepares a daemon that presents {@code serverCerts/cert.pem} and {@code key.pem} and accepts
   * clients whose certificate {@code serverCerts/ca.pem} signed.
   */
  public TlsDockerd(Path dir, Path serverCerts) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.serverCerts = serverCerts;
    this.port = freePort();
  }

  /** {@code tcp://127.0.0.1:PORT}. */
  public String tcpHost() {
    return "tcp://127.0.0.1:" + port;
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** The daemon's log. */
  public Path log() {
    return dir.resolve("dockerd.log");
  }

  /**
   * Starts dockerd and waits (up to 60 s) until {@code docker version} answers over TLS with the
   * client certificates in {@code clientCerts}.
   */
  public void start(Path clientCerts) throws IOException, InterruptedException {
    process =
        new ProcessBuilder(
                "dockerd",
                "--bridge=none",
                "--iptables=false",
                "--ip-masq=false",
                "-H",
                tcpHost(),
                "--tlsverify",
                "--tlscacert",
                serverCerts.resolve("ca.pem").toString(),
                "--tlscert",
                serverCerts.resolve("cert.pem").toString(),
                "--tlskey",
                serverCerts.resolve("key.pem").toString(),
                "--data-root",
                dir.resolve("data").toString(),
                "--exec-root",
                dir.resolve("exec").toString(),
                "--pidfile",
                dir.resolve("dockerd.pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
            .start();
    List<String> version =
        List.of(
            "docker",
            "--tlsverify",
            "--tlscacert",
            clientCerts.resolve("ca.pem").toString(),
            "--tlscert",
            clientCerts.resolve("cert.pem").toString(),
            "--tlskey",
            clientCerts.resolve("key.pem").toString(),
            "-H",
            tcpHost(),
            "version",
            "--format",
            "{{.Server.Version}}");
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
    throw new IOException("dockerd did not answer over TLS in 60 s:\n" + tail());
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log());
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }

  /**
   * Stops the daemon by its PID (SIGTERM, then SIGKILL after 30 s), then the containerd it started
   * by the PID in its pid file, and removes the directory.
   */
  @Override
  public void close() throws IOException {
    try {
      Path containerdPid = dir.resolve("exec/containerd/containerd.pid");
      long containerd =
          Files.exists(containerdPid) ? Long.parseLong(Files.readString(containerdPid).trim()) : -1;
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(30, TimeUnit.SECONDS);
        }
      }
      if (containerd > 0) {
        // dockerd stops its containerd on SIGTERM; this catches one left behind by a SIGKILL
        ProcessHandle.of(containerd)
            .ifPresent(
                h -> {
                  h.destroy();
                  h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
                  if (h.isAlive()) {
                    h.destroyForcibly();
                  }
                });
      }
      run(List.of("sh", "-c", "umount " + dir + "/exec/netns/* 2>/dev/null; true"), 30);
      run(List.of("umount", "-R", dir.resolve("data").toString()), 30);
      run(List.of("rm", "-rf", dir.toString()), 60);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
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
}

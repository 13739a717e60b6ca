package io.clustermonitor.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code java -jar cluster-monitor.jar --cds-training}, run by the launcher with {@code
 * -XX:ArchiveClassesAtExit} when it has no class-data sharing archive yet: starts {@code serve} on
 * an ephemeral loopback port, asks it once for each kind of answer and stops. The archive then
 * holds the classes of the path to the first answer whatever command the user ran first (before, a
 * first {@code --help}, as the image build runs, gave an archive without the server's classes). Not
 * a command: it has no options and writes nothing.
 */
final class CdsTraining {
  /** The argument that selects it, alone. */
  static final String ARGUMENT = "--cds-training";

  private static final List<String> PATHS =
      List.of("/health", "/metrics", "/api/containers", "/", "/no-such-page");

  private CdsTraining() {}

  /** Runs the training; returns the exit code (0 once every request got an answer). */
  static int run() throws Exception {
    CommandLine cl = Main.commandLine("serve", "--listen", "127.0.0.1:0");
    PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream(), true);
    cl.setOut(discard);
    cl.setErr(discard);
    ServeCommand serve = cl.getSubcommands().get("serve").getCommand();
    int[] exit = {-1};
    Thread t = new Thread(() -> exit[0] = cl.execute("serve", "--listen", "127.0.0.1:0"));
    t.setName("cm-cds-training");
    t.start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (serve.server == null && t.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    int answered = 0;
    if (serve.server != null) {
      for (String p : PATHS) {
        answered += get(URI.create("http://127.0.0.1:" + serve.server.port() + p)) ? 1 : 0;
      }
    }
    serve.running.stop();
    t.join(60_000);
    return answered == PATHS.size() && exit[0] == 0 ? 0 : 1;
  }

  private static boolean get(URI uri) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout(10_000);
      c.setReadTimeout(10_000);
      int status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      }
      return status > 0;
    } catch (IOException e) {
      return false;
    }
  }
}

package io.clustermonitor.core.stats;

import io.clustermonitor.core.model.FilesystemUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures containers' writable layers off the sampling path, as cAdvisor's {@code du} does: one
 * daemon thread walks one container at a time, each container at most once per interval, each walk
 * bounded in files and time, and the thread sleeps four times as long as it walked (so it stays
 * under 20 % of one core however large the layers are). A walk that takes more than a second backs
 * that container off (interval doubled, up to 20 times), as cAdvisor does.
 *
 * <p>The overlay2 upper directory comes from the container's init process root mount in {@code
 * <procfs>/<pid>/mountinfo} ({@code upperdir=}); no engine call. Sizes are apparent sizes rounded
 * up to 4 KiB blocks, hard links counted once. Thread-safe.
 */
final class DiskUsageSampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DiskUsageSampler.class);
  private static final long BLOCK = 4096;
  private static final int MAX_BACKOFF = 20;

  private final Path procRoot;
  private final Duration interval;
  private final long maxFiles;
  private final Duration maxWalk;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Object wake = new Object();
  private volatile boolean closed;
  private Thread thread; // guarded by this

  /** One container: where it lives and its last figure. */
  private static final class Entry {
    final String id;
    final long pid;
    volatile FilesystemUsage usage;
    volatile long nextDueNanos; // System.nanoTime()
    volatile int backoff = 1;
    volatile boolean unsupported;
    // where the layer lives, found by the first walk: fixed for the life of one init process
    String upper; // walker thread only
    Path upperPath; // walker thread only
    String device; // walker thread only
    FileStore store; // walker thread only

    Entry(String id, long pid) {
      this.id = id;
      this.pid = pid;
    }
  }

  DiskUsageSampler(Path procRoot, Duration interval, long maxFiles, Duration maxWalk) {
    this.procRoot = procRoot;
    this.interval = interval;
    this.maxFiles = maxFiles;
    this.maxWalk = maxWalk;
  }

  /** The latest figure of the container, or null; registers it for measuring. Never blocks. */
  FilesystemUsage usage(StatsTarget t) {
    if (t.pid() <= 0 || closed) {
      return null;
    }
    Entry e = entries.get(t.id());
    if (e == null || e.pid != t.pid()) {
      e = new Entry(t.id(), t.pid());
      e.nextDueNanos = System.nanoTime();
      entries.put(t.id(), e);
      ensureThread();
      synchronized (wake) {
        wake.notifyAll();
      }
      // A new entry has nothing measured yet; reading e.usage here would race the walker thread.
      return null;
    }
    return e.usage;
  }

  void forget(String id) {
    entries.remove(id);
  }

  private synchronized void ensureThread() {
    if (thread == null && !closed) {
      thread = new Thread(this::loop, "cluster-monitor-disk-usage");
      thread.setDaemon(true);
      thread.setPriority(Thread.MIN_PRIORITY);
      thread.start();
    }
  }

  private void loop() {
    while (!closed) {
      Entry next = null;
      long now = System.nanoTime();
      long soonest = Long.MAX_VALUE;
      for (Entry e : entries.values()) {
        if (e.unsupported) {
          continue;
        }
        long wait = e.nextDueNanos - now;
        if (wait <= 0 && (next == null || e.nextDueNanos - next.nextDueNanos < 0)) {
          next = e;
        }
        soonest = Math.min(soonest, Math.max(0, wait));
      }
      try {
        if (next == null) {
          long ms = soonest == Long.MAX_VALUE ? 1000 : Math.max(1, soonest / 1_000_000);
          synchronized (wake) {
            wake.wait(Math.min(ms, 1000));
          }
          continue;
        }
        long start = System.nanoTime();
        measure(next);
        long took = System.nanoTime() - start;
        if (took > 1_000_000_000L) {
          next.backoff = Math.min(MAX_BACKOFF, next.backoff * 2);
          LOG.debug("disk usage walk of {} took {} ms", next.id, took / 1_000_000);
        } else {
          next.backoff = 1;
        }
        next.nextDueNanos = System.nanoTime() + interval.toNanos() * next.backoff;
        // duty cycle: at most 20 % of one core
        long pause = Math.min(took * 4, 5_000_000_000L) / 1_000_000;
        if (pause > 0) {
          Thread.sleep(pause);
        }
      } catch (InterruptedException ie) {
        return;
      } catch (RuntimeException ex) {
        LOG.debug("disk usage walk failed: {}", ex.toString());
        if (next != null) {
          next.nextDueNanos = System.nanoTime() + interval.toNanos() * MAX_BACKOFF;
        }
      }
    }
  }

  private void measure(Entry e) {
    if (e.upperPath == null) {
      String upper = upperDir(e.pid);
      if (upper == null) {
        // not overlay: nothing to walk, ever (a vanished process is forgotten on untrack)
        e.unsupported = Files.isReadable(procRoot.resolve(e.pid + "/mountinfo"));
        return;
      }
      Path upperPath = accessible(upper);
      if (upperPath == null) {
        e.unsupported = true;
        LOG.debug("writable layer {} of {} is not accessible", upper, e.id);
        return;
      }
      e.upper = upper;
      e.upperPath = upperPath;
    }
    String upper = e.upper;
    Path upperPath = e.upperPath;
    long deadline = System.nanoTime() + maxWalk.toNanos();
    Walk base = new Walk(deadline, maxFiles);
    base.walk(upperPath);
    // the engine's per-container directory (logs, hostname, resolv.conf): <root>/containers/<id>
    Walk extra = new Walk(deadline, maxFiles);
    Path layer = upperPath.getParent(); // .../overlay2/<layer>
    if (layer != null && layer.getParent() != null && layer.getParent().getParent() != null) {
      Path containers = layer.getParent().getParent().resolve("containers").resolve(e.id);
      if (Files.isDirectory(containers)) {
        extra.walk(containers);
      }
    }
    long limit = 0;
    try {
      // finding the store scans the mount table: once; its size is asked each time (statvfs)
      if (e.store == null) {
        e.store = Files.getFileStore(upperPath);
      }
      limit = e.store.getTotalSpace();
    } catch (IOException ex) {
      e.store = null;
      limit = 0;
    }
    if (e.device == null) {
      e.device = device(upper);
    }
    if (!entries.containsKey(e.id)) {
      return; // removed while we walked
    }
    e.usage =
        new FilesystemUsage(
            e.device,
            base.bytes + extra.bytes,
            base.bytes,
            base.inodes,
            limit,
            Instant.now(),
            base.complete && extra.complete);
  }

  /** The host path, or the same path through the host's root ({@code <procfs>/1/root}). */
  private Path accessible(String hostPath) {
    Path direct = Path.of(hostPath);
    if (Files.isDirectory(direct)) {
      return direct;
    }
    Path via = procRoot.resolve("1/root").resolve(hostPath.substring(1));
    return Files.isDirectory(via) ? via : null;
  }

  /** {@code upperdir=} of the root mount of {@code pid}, or null when it is not overlay. */
  String upperDir(long pid) {
    String text = readOrEmpty(procRoot.resolve(Long.toString(pid)).resolve("mountinfo"));
    for (String line : text.split("\n")) {
      Mount m = Mount.parse(line);
      if (m != null && m.mountPoint.equals("/") && m.fsType.startsWith("overlay")) {
        for (String opt : m.superOptions.split(",")) {
          if (opt.startsWith("upperdir=")) {
            return unescape(opt.substring("upperdir=".length()));
          }
        }
      }
    }
    return null;
  }

  /** The source device of the host mount holding {@code hostPath}, e.g. {@code /dev/vda1}. */
  String device(String hostPath) {
    String text = readOrEmpty(procRoot.resolve("1/mountinfo"));
    if (text.isEmpty()) {
      text = readOrEmpty(procRoot.resolve("self/mountinfo"));
    }
    String best = null;
    int bestLen = -1;
    for (String line : text.split("\n")) {
      Mount m = Mount.parse(line);
      if (m == null) {
        continue;
      }
      String mp = m.mountPoint;
      boolean under =
          mp.equals("/")
              || hostPath.equals(mp)
              || hostPath.startsWith(mp.endsWith("/") ? mp : mp + "/");
      if (under && mp.length() >= bestLen) {
        best = m.source;
        bestLen = mp.length();
      }
    }
    return best == null ? "" : best;
  }

  private record Mount(String mountPoint, String fsType, String source, String superOptions) {
    static Mount parse(String line) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        return null;
      }
      String[] pre = line.substring(0, dash).split(" ");
      String[] post = line.substring(dash + 3).split(" ");
      if (pre.length < 5 || post.length < 3) {
        return null;
      }
      return new Mount(unescape(pre[4]), post[0], unescape(post[1]), post[2]);
    }
  }

  /** mountinfo escapes space, tab, newline and backslash as octal {@code \NNN}. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        String oct = s.substring(i + 1, i + 4);
        if (oct.chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
          b.append((char) Integer.parseInt(oct, 8));
          i += 3;
          continue;
        }
      }
      b.append(c);
    }
    return b.toString();
  }

  private static String readOrEmpty(Path p) {
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** One bounded walk: apparent sizes rounded up to 4 KiB, hard links once, no symlink follow. */
  static final class Walk implements FileVisitor<Path> {
    private final long deadlineNanos;
    private final long maxFiles;
    private final Set<Object> seenInodes = new HashSet<>();
    long bytes;
    long inodes;
    boolean complete = true;

    Walk(long deadlineNanos, long maxFiles) {
      this.deadlineNanos = deadlineNanos;
      this.maxFiles = maxFiles;
    }

    void walk(Path root) {
      try {
        Files.walkFileTree(root, Set.of(), Integer.MAX_VALUE, this);
      } catch (IOException e) {
        complete = false;
      }
    }

    private FileVisitResult count(Path p, BasicFileAttributes a) {
      // Interrupted: the sampler is closing; stop now rather than at the walk's deadline.
      if (inodes >= maxFiles
          || System.nanoTime() - deadlineNanos > 0
          || Thread.currentThread().isInterrupted()) {
        complete = false;
        return FileVisitResult.TERMINATE;
      }
      Object key = a.fileKey();
      if (key != null && !a.isDirectory()) {
        Object nlink = null;
        try {
          nlink = Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
          nlink = null;
        }
        if (nlink instanceof Integer n && n > 1 && !seenInodes.add(key)) {
          return FileVisitResult.CONTINUE;
        }
      }
      inodes++;
      long size = a.isDirectory() ? BLOCK : a.size();
      bytes += (size + BLOCK - 1) / BLOCK * BLOCK;
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      return count(dir, attrs);
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      return count(file, attrs);
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException exc) {
      return FileVisitResult.CONTINUE; // vanished meanwhile
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
      return FileVisitResult.CONTINUE;
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
    }
    entries.clear();
  }
}

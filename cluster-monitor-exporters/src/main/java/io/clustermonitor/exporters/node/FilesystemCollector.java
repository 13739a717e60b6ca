package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code node_filesystem_*} for the mounts in {@code <procfs>/1/mounts} (falling back to {@code
 * <procfs>/mounts}), with node_exporter's exclusions. Each mount is measured on a worker thread;
 * one that does not answer within the timeout is reported with {@code device_error 1} and is not
 * asked again until its pending call returns, so a stuck NFS mount costs one thread, not a scrape.
 */
final class FilesystemCollector implements SubCollector {

  /** Sizes of one filesystem; {@code files}/{@code filesFree} are NaN when unknown. */
  record Usage(double size, double free, double avail, double files, double filesFree) {}

  /** The statfs(2) seam. */
  interface Statfs {
    Usage statfs(Path path) throws IOException;

    /**
     * Sizes from {@link FileStore} (statfs: blocks, bfree and bavail times the fragment size), read
     * live; inode counts from coreutils {@code stat -f} (Java has no inode API), refreshed in the
     * background at most every {@link Inodes#MAX_AGE_SECONDS} seconds.
     */
    Statfs FILE_STORE =
        path -> {
          FileStore store = Files.getFileStore(path);
          long[] inodes = Inodes.cached(path);
          return new Usage(
              store.getTotalSpace(),
              store.getUnallocatedSpace(),
              store.getUsableSpace(),
              inodes == null ? Double.NaN : inodes[0],
              inodes == null ? Double.NaN : inodes[1]);
        };
  }

  /**
   * statfs(2) through JNA when it is on the class path on 64-bit Linux ({@link NativeStatfs}): one
   * system call gives sizes and inode counts, without {@code Files.getFileStore} (which looks the
   * mount up in /proc/mounts on every call) and without a {@code stat -f} process every {@link
   * Inodes#MAX_AGE_SECONDS} seconds per mount; otherwise {@link Statfs#FILE_STORE}.
   */
  static Statfs defaultStatfs() {
    try {
      if (NativeStatfs.available()) {
        return NativeStatfs::statfs;
      }
    } catch (LinkageError e) {
      // no JNA: FILE_STORE below
    }
    return Statfs.FILE_STORE;
  }

  /** Every JNA reference lives here, so the collector loads without JNA. */
  static final class NativeStatfs {
    /** {@code sizeof(struct statfs)} on 64-bit Linux (x86_64 and the generic layout agree). */
    private static final int STRUCT_SIZE = 120;

    private static final com.sun.jna.Function STATFS = function();

    private NativeStatfs() {}

    private static com.sun.jna.Function function() {
      if (!com.sun.jna.Platform.isLinux() || com.sun.jna.Native.LONG_SIZE != 8) {
        return null;
      }
      try {
        return com.sun.jna.Function.getFunction(
            "c", "statfs", com.sun.jna.Function.THROW_LAST_ERROR);
      } catch (UnsatisfiedLinkError e) {
        return null;
      }
    }

    static boolean available() {
      return STATFS != null;
    }

    /**
     * Sizes as {@code FileStore} computes them (blocks, bfree and bavail times the fragment size,
     * or the block size when the kernel reports no fragment size) and inode counts as {@code stat
     * -f -c '%c %d'} prints them (f_files, f_ffree).
     */
    static Usage statfs(Path path) throws IOException {
      try (com.sun.jna.Memory buf = new com.sun.jna.Memory(STRUCT_SIZE)) {
        buf.clear();
        try {
          STATFS.invokeInt(new Object[] {path.toString(), buf});
        } catch (com.sun.jna.LastErrorException e) {
          throw new IOException("statfs " + path + ": errno " + e.getErrorCode(), e);
        }
        long bsize = buf.getLong(8);
        long frsize = buf.getLong(72);
        double unit = frsize != 0 ? frsize : bsize;
        return new Usage(
            unsigned(buf.getLong(16)) * unit,
            unsigned(buf.getLong(24)) * unit,
            unsigned(buf.getLong(32)) * unit,
            unsigned(buf.getLong(40)),
            unsigned(buf.getLong(48)));
      }
    }

    private static double unsigned(long v) {
      return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
  }

  private static final ExecutorService WORKERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "node-statfs");
            t.setDaemon(true);
            return t;
          });

  private record Mount(String device, String mountPoint, String fsType, boolean readOnly) {}

  private final HostPaths paths;
  private final Pattern mountPointsExclude;
  private final Pattern fsTypesExclude;
  private final Duration timeout;
  private final Statfs statfs;
  private final Set<String> stuck = ConcurrentHashMap.newKeySet();

  FilesystemCollector(
      HostPaths paths,
      Pattern mountPointsExclude,
      Pattern fsTypesExclude,
      Duration timeout,
      Statfs statfs) {
    this.paths = paths;
    this.mountPointsExclude = mountPointsExclude;
    this.fsTypesExclude = fsTypesExclude;
    this.timeout = timeout;
    this.statfs = statfs;
  }

  @Override
  public String name() {
    return "filesystem";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException, InterruptedException {
    List<Mount> mounts = mounts();
    Map<Mount, CompletableFuture<Usage>> pending = new LinkedHashMap<>();
    for (Mount m : mounts) {
      if (stuck.contains(m.mountPoint())) {
        pending.put(m, null);
        continue;
      }
      Path target = paths.rootfsFile(m.mountPoint());
      pending.put(m, CompletableFuture.supplyAsync(() -> call(target), WORKERS));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Mount, Usage> results = new HashMap<>();
    for (Map.Entry<Mount, CompletableFuture<Usage>> e : pending.entrySet()) {
      CompletableFuture<Usage> f = e.getValue();
      if (f == null) {
        continue;
      }
      try {
        results.put(
            e.getKey(), f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException ex) {
        String mp = e.getKey().mountPoint();
        stuck.add(mp);
        f.whenComplete((u, t) -> stuck.remove(mp));
      } catch (ExecutionException ex) {
        // device_error 1 below
      }
    }
    MetricFamily.Builder size = family("node_filesystem_size_bytes", "Filesystem size in bytes.");
    MetricFamily.Builder free =
        family("node_filesystem_free_bytes", "Filesystem free space in bytes.");
    MetricFamily.Builder avail =
        family(
            "node_filesystem_avail_bytes",
            "Filesystem space available to non-root users in bytes.");
    MetricFamily.Builder files = family("node_filesystem_files", "Filesystem total file nodes.");
    MetricFamily.Builder filesFree =
        family("node_filesystem_files_free", "Filesystem total free file nodes.");
    MetricFamily.Builder readonly =
        family("node_filesystem_readonly", "Filesystem read-only status.");
    MetricFamily.Builder deviceError =
        family(
            "node_filesystem_device_error",
            "Whether an error occurred while getting statistics for the given device.");
    for (Mount m : pending.keySet()) {
      String[] labels = {"device", m.device(), "fstype", m.fsType(), "mountpoint", m.mountPoint()};
      Usage u = results.get(m);
      deviceError.sample(u == null ? 1 : 0, labels);
      readonly.sample(m.readOnly() ? 1 : 0, labels);
      if (u == null) {
        continue;
      }
      size.sample(u.size(), labels);
      free.sample(u.free(), labels);
      avail.sample(u.avail(), labels);
      if (!Double.isNaN(u.files())) {
        files.sample(u.files(), labels);
        filesFree.sample(u.filesFree(), labels);
      }
    }
    for (MetricFamily.Builder b :
        List.of(avail, deviceError, files, filesFree, free, readonly, size)) {
      if (!b.isEmpty()) {
        out.add(b.build());
      }
    }
  }

  private Usage call(Path target) {
    try {
      return statfs.statfs(target);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static MetricFamily.Builder family(String name, String help) {
    return MetricFamily.builder(name, MetricType.GAUGE).help(help);
  }

  private List<Mount> mounts() throws IOException {
    Path file = paths.proc("1/mounts");
    List<String> lines;
    try {
      lines = HostPaths.lines(file);
    } catch (NoSuchFileException e) {
      lines = HostPaths.lines(paths.proc("mounts"));
    }
    List<Mount> mounts = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length < 4) {
        continue;
      }
      String mountPoint = paths.stripRootfs(f[1].replace("\\040", " ").replace("\\011", "\t"));
      String fsType = f[2];
      if (mountPointsExclude.matcher(mountPoint).find() || fsTypesExclude.matcher(fsType).find()) {
        continue;
      }
      if (!seen.add(f[0] + '\0' + mountPoint + '\0' + fsType)) {
        continue;
      }
      boolean ro = List.of(f[3].split(",")).contains("ro");
      mounts.add(new Mount(f[0], mountPoint, fsType, ro));
    }
    return mounts;
  }

  /** Inode counts via coreutils {@code stat -f}; FileStore has no inode attributes. */
  static final class Inodes {
    /** How old a mount's inode counts may be before a background refresh is started. */
    static final long MAX_AGE_SECONDS = 10;

    private static final Path STAT = findStat();

    private record Cached(long[] value, long atNanos) {}

    private static final Map<Path, Cached> CACHE = new ConcurrentHashMap<>();
    private static final Set<Path> REFRESHING = ConcurrentHashMap.newKeySet();

    /**
     * The inode counts of {@code path}: read synchronously the first time, then served from a cache
     * that a background {@code stat -f} refreshes once it is older than {@link #MAX_AGE_SECONDS},
     * so a scrape never waits for a process to start.
     */
    static long[] cached(Path path) throws IOException {
      Cached c = CACHE.get(path);
      if (c == null) {
        long[] v = read(path);
        CACHE.put(path, new Cached(v, System.nanoTime()));
        return v;
      }
      if (System.nanoTime() - c.atNanos() > TimeUnit.SECONDS.toNanos(MAX_AGE_SECONDS)
          && REFRESHING.add(path)) {
        WORKERS.execute(
            () -> {
              try {
                CACHE.put(path, new Cached(read(path), System.nanoTime()));
              } catch (IOException e) {
                CACHE.remove(path);
              } finally {
                REFRESHING.remove(path);
              }
            });
      }
      return c.value();
    }

    private Inodes() {}

    private static Path findStat() {
      for (String p : new String[] {"/usr/bin/stat", "/bin/stat"}) {
        if (Files.isExecutable(Path.of(p))) {
          return Path.of(p);
        }
      }
      return null;
    }

    /** {total, free} inodes, or null when unknown. */
    static long[] read(Path path) throws IOException {
      if (STAT == null) {
        return null;
      }
      Process p =
          new ProcessBuilder(STAT.toString(), "-f", "-c", "%c %d", "--", path.toString())
              .redirectErrorStream(true)
              .start();
      String text;
      try (InputStream in = p.getInputStream()) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      try {
        if (p.waitFor() != 0) {
          return null;
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted reading inodes of " + path, e);
      }
      String[] f = text.split("\\s+");
      if (f.length != 2) {
        return null;
      }
      try {
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}

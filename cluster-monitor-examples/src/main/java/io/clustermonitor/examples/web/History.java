package io.clustermonitor.examples.web;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Retained per-container samples in memory: one fixed-size ring of primitive arrays per container,
 * allocated when the container is first seen, so the memory used is known in advance ({@link
 * #BYTES_PER_SAMPLE} per sample) and bounded by a budget. Fed from the stats engine's snapshot by
 * one thread; read by request threads. Thread-safe.
 *
 * <p>Each sample holds the time (an {@code int} of milliseconds from the series' base) and {@link
 * #FIELDS} {@code float} values: CPU %, memory usage, working set and limit, network receive and
 * transmit rates, block read and write rates, pids. Rates are computed from the counters of
 * consecutive samples (no value for a first sample or after a counter reset).
 *
 * <p>Past the budget the history of a container that is not running (oldest last sample first) is
 * dropped to make room; when every tracked container runs, a new one is not tracked and counted in
 * {@link #untracked()}.
 */
public final class History {
  /** Values per sample. */
  public static final int FIELDS = 9;

  /** Bytes of one sample: an {@code int} time and {@link #FIELDS} {@code float}s. */
  public static final int BYTES_PER_SAMPLE = 4 + 4 * FIELDS;

  /** Fixed cost of one container's series besides its samples (object headers, ids, counters). */
  public static final int SERIES_OVERHEAD_BYTES = 256;

  static final int CPU = 0;
  static final int MEM_USAGE = 1;
  static final int MEM_WORKING_SET = 2;
  static final int MEM_LIMIT = 3;
  static final int NET_RX = 4;
  static final int NET_TX = 5;
  static final int BLK_READ = 6;
  static final int BLK_WRITE = 7;
  static final int PIDS = 8;

  /** One container's reading, the raw input of {@link #record}. */
  public record Reading(
      String id,
      boolean running,
      long atMillis,
      double cpuPercent,
      long memoryUsageBytes,
      long memoryWorkingSetBytes,
      long memoryLimitBytes,
      long networkReceiveBytes,
      long networkTransmitBytes,
      long blockReadBytes,
      long blockWriteBytes,
      long pids) {}

  /** A copy of one container's retained samples, oldest first. */
  public record Window(long[] timesMillis, float[][] values) {
    /** Number of samples. */
    public int size() {
      return timesMillis.length;
    }

    /** The column of one field ({@code History.CPU}...). */
    public float[] column(int field) {
      return values[field];
    }
  }

  private final Duration interval;
  private final Duration retention;
  private final int capacity;
  private final long budgetBytes;
  private final int maxSeries;
  private final Map<String, Series> series = new HashMap<>();
  private long untracked;

  /**
   * A history of {@code retention} at {@code interval} within {@code budgetBytes}.
   *
   * @throws IllegalArgumentException when the interval is not positive, the retention shorter than
   *     the interval or longer than a day, or the budget too small for one container
   */
  public History(Duration interval, Duration retention, long budgetBytes) {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(retention, "retention");
    if (interval.toMillis() < 10 || interval.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "history interval must be between 10 ms and 10 minutes, got " + interval);
    }
    if (retention.compareTo(interval) < 0 || retention.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "history retention must be between the interval and 1 day, got " + retention);
    }
    long cap = (retention.toMillis() + interval.toMillis() - 1) / interval.toMillis();
    if (cap > 1_000_000) {
      throw new IllegalArgumentException("history keeps at most 1,000,000 samples per container");
    }
    this.interval = interval;
    this.retention = retention;
    this.capacity = (int) cap;
    this.budgetBytes = budgetBytes;
    long per = seriesBytes(capacity);
    if (budgetBytes < per) {
      throw new IllegalArgumentException(
          "history memory budget "
              + budgetBytes
              + " bytes is below one container's "
              + per
              + " bytes; raise it or shorten the retention");
    }
    this.maxSeries = (int) Math.min(Integer.MAX_VALUE, budgetBytes / per);
  }

  /** Bytes one container's series takes for {@code samples} retained samples. */
  public static long seriesBytes(int samples) {
    return (long) samples * BYTES_PER_SAMPLE + SERIES_OVERHEAD_BYTES;
  }

  /** Samples kept per container. */
  public int capacity() {
    return capacity;
  }

  /** The sampling interval the history was sized for. */
  public Duration interval() {
    return interval;
  }

  /** The retained window. */
  public Duration retention() {
    return retention;
  }

  /** The memory budget. */
  public long budgetBytes() {
    return budgetBytes;
  }

  /** Containers that fit in the budget. */
  public int maxSeries() {
    return maxSeries;
  }

  /** Bytes held by the retained samples (every series is allocated in full when created). */
  public synchronized long bytesUsed() {
    return series.size() * seriesBytes(capacity);
  }

  /** Containers with a retained series. */
  public synchronized int seriesCount() {
    return series.size();
  }

  /** Containers seen that could not be tracked within the budget (cumulative). */
  public synchronized long untracked() {
    return untracked;
  }

  /**
   * Records one round of readings; {@code present} is every container id the engine still knows:
   * the series of any other container is dropped (a removed container keeps no memory).
   */
  public synchronized void record(Set<String> present, List<Reading> readings) {
    series.keySet().retainAll(present);
    for (Reading r : readings) {
      Series s = series.get(r.id());
      if (s == null) {
        if (!r.running()) {
          continue;
        }
        if (series.size() >= maxSeries && !evictOne()) {
          untracked++;
          continue;
        }
        s = new Series(capacity, r.atMillis());
        series.put(r.id(), s);
      }
      s.running = r.running();
      if (r.running()) {
        s.add(r);
      }
    }
  }

  private boolean evictOne() {
    String victim =
        series.entrySet().stream()
            .filter(e -> !e.getValue().running)
            .min(Comparator.comparingLong(e -> e.getValue().lastMillis))
            .map(Map.Entry::getKey)
            .orElse(null);
    if (victim == null) {
      return false;
    }
    series.remove(victim);
    return true;
  }

  /** Whether {@code id} has a series. */
  public synchronized boolean tracked(String id) {
    return series.containsKey(id);
  }

  /**
   * The samples of {@code id} at or after {@code sinceMillis}, at most {@code maxPoints} of them
   * (evenly thinned, the newest always kept); empty when the container has no series.
   */
  public synchronized Window window(String id, long sinceMillis, int maxPoints) {
    Series s = series.get(id);
    if (s == null) {
      return new Window(new long[0], new float[FIELDS][0]);
    }
    return s.window(sinceMillis, maxPoints);
  }

  /** The newest {@code n} samples of each tracked container, by id. */
  public synchronized Map<String, Window> tails(int n) {
    Map<String, Window> out = new HashMap<>();
    series.forEach(
        (id, s) -> {
          long since = s.size == 0 ? 0 : s.timeAt(Math.max(0, s.size - n));
          out.put(id, s.window(since, n));
        });
    return out;
  }

  /** The newest sample's values of {@code id}, or {@code null}. */
  public synchronized float[] latest(String id) {
    Series s = series.get(id);
    if (s == null || s.size == 0) {
      return null;
    }
    float[] v = new float[FIELDS];
    int slot = s.slot(s.size - 1);
    for (int f = 0; f < FIELDS; f++) {
      v[f] = s.values[slot * FIELDS + f];
    }
    return v;
  }

  /** One ring: parallel primitive arrays, oldest sample at {@code head}. */
  private static final class Series {
    private final int[] times;
    private final float[] values;
    private long baseMillis;
    private int head;
    private int size;
    boolean running = true;
    long lastMillis = Long.MIN_VALUE;
    private long rx = -1;
    private long tx = -1;
    private long rd = -1;
    private long wr = -1;

    Series(int capacity, long baseMillis) {
      this.times = new int[capacity];
      this.values = new float[capacity * FIELDS];
      this.baseMillis = baseMillis;
    }

    int slot(int i) {
      return (head + i) % times.length;
    }

    long timeAt(int i) {
      return baseMillis + times[slot(i)];
    }

    void add(Reading r) {
      if (r.atMillis() <= lastMillis) {
        return; // the same sample again (polled faster than the engine samples) or out of order
      }
      double seconds = lastMillis == Long.MIN_VALUE ? 0 : (r.atMillis() - lastMillis) / 1000.0;
      if (r.atMillis() - baseMillis > (1L << 30)) {
        rebase(r.atMillis());
      }
      int slot;
      if (size < times.length) {
        slot = slot(size);
        size++;
      } else {
        slot = head;
        head = (head + 1) % times.length;
      }
      times[slot] = (int) (r.atMillis() - baseMillis);
      int o = slot * FIELDS;
      values[o + CPU] = (float) r.cpuPercent();
      values[o + MEM_USAGE] = r.memoryUsageBytes();
      values[o + MEM_WORKING_SET] = r.memoryWorkingSetBytes();
      values[o + MEM_LIMIT] = r.memoryLimitBytes();
      values[o + NET_RX] = rate(rx, r.networkReceiveBytes(), seconds);
      values[o + NET_TX] = rate(tx, r.networkTransmitBytes(), seconds);
      values[o + BLK_READ] = rate(rd, r.blockReadBytes(), seconds);
      values[o + BLK_WRITE] = rate(wr, r.blockWriteBytes(), seconds);
      values[o + PIDS] = r.pids();
      rx = r.networkReceiveBytes();
      tx = r.networkTransmitBytes();
      rd = r.blockReadBytes();
      wr = r.blockWriteBytes();
      lastMillis = r.atMillis();
    }

    private static float rate(long previous, long now, double seconds) {
      if (previous < 0 || seconds <= 0 || now < previous) {
        return Float.NaN;
      }
      return (float) ((now - previous) / seconds);
    }

    /** Moves the base forward so offsets stay small (every 12 days of uptime or so). */
    private void rebase(long nowMillis) {
      long newBase = size == 0 ? nowMillis : timeAt(0);
      int shift = (int) (newBase - baseMillis);
      for (int i = 0; i < size; i++) {
        times[slot(i)] -= shift;
      }
      baseMillis = newBase;
    }

    Window window(long sinceMillis, int maxPoints) {
      int first = 0;
      while (first < size && timeAt(first) < sinceMillis) {
        first++;
      }
      int n = size - first;
      int out = Math.min(n, Math.max(1, maxPoints));
      if (n == 0) {
        return new Window(new long[0], new float[FIELDS][0]);
      }
      long[] t = new long[out];
      float[][] v = new float[FIELDS][out];
      for (int k = 0; k < out; k++) {
        // evenly spaced, the oldest and the newest always included
        int i = out == 1 ? first + n - 1 : first + (int) ((long) (n - 1) * k / (out - 1));
        t[k] = timeAt(i);
        int o = slot(i) * FIELDS;
        for (int f = 0; f < FIELDS; f++) {
          v[f][k] = values[o + f];
        }
      }
      return new Window(t, v);
    }
  }
}

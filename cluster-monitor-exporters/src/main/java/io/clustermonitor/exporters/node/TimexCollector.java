package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.NoDataException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The kernel's clock discipline state, {@code node_timex_*}, read with {@code adjtimex(2)} in
 * read-only mode ({@code modes = 0}), converted as node_exporter 1.7 converts it.
 *
 * <p>The system call goes through JNA, an optional dependency: without JNA on the class path, or on
 * a platform whose {@code struct timex} layout is not the 64-bit Linux one, the collector reports
 * no data (logged at DEBUG) instead of failing the scrape.
 */
final class TimexCollector implements SubCollector {
  /** {@code sizeof(struct timex)} on 64-bit Linux (glibc and musl agree). */
  static final int STRUCT_SIZE = 208;

  /** {@code adjtimex} returns this when the clock is not synchronized. */
  private static final int TIME_ERROR = 5;

  /** The {@code status} bit saying offset and jitter are in nanoseconds, not microseconds. */
  private static final int STA_NANO = 0x2000;

  /** Scaled ppm (16-bit binary fraction) to a ratio, see NOTES in adjtimex(2). */
  private static final double PPM16FRAC = 1_000_000.0 * 65536.0;

  private static final double MICRO = 1_000_000.0;
  private static final double NANO = 1_000_000_000.0;

  /** One {@code adjtimex} reading: its return value and the filled struct. */
  record Reading(int state, ByteBuffer timex) {}

  /** Makes the system call. */
  interface Adjtimex {
    Reading read() throws Exception;
  }

  private final Adjtimex adjtimex;

  TimexCollector() {
    this(TimexCollector::callKernel);
  }

  TimexCollector(Adjtimex adjtimex) {
    this.adjtimex = adjtimex;
  }

  @Override
  public String name() {
    return "timex";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Reading r = adjtimex.read();
    ByteBuffer b = r.timex().duplicate().order(r.timex().order());
    if (b.capacity() < STRUCT_SIZE) {
      throw new IllegalStateException("struct timex too short: " + b.capacity() + " bytes");
    }
    long offset = b.getLong(8);
    long freq = b.getLong(16);
    long maxerror = b.getLong(24);
    long esterror = b.getLong(32);
    int status = b.getInt(40);
    long constant = b.getLong(48);
    long tick = b.getLong(88);
    long ppsfreq = b.getLong(96);
    long jitter = b.getLong(104);
    int shift = b.getInt(112);
    long stabil = b.getLong(120);
    long jitcnt = b.getLong(128);
    long calcnt = b.getLong(136);
    long errcnt = b.getLong(144);
    long stbcnt = b.getLong(152);
    int tai = b.getInt(160);

    double divisor = (status & STA_NANO) != 0 ? NANO : MICRO;
    out.add(
        g(
            "node_timex_sync_status",
            "Is clock synchronized to a reliable server (1 = yes, 0 = no).",
            r.state() == TIME_ERROR ? 0 : 1));
    out.add(
        g(
            "node_timex_offset_seconds",
            "Time offset in between local system and reference clock.",
            offset / divisor));
    out.add(
        g(
            "node_timex_frequency_adjustment_ratio",
            "Local clock frequency adjustment.",
            1 + freq / PPM16FRAC));
    out.add(g("node_timex_maxerror_seconds", "Maximum error in seconds.", maxerror / MICRO));
    out.add(
        g("node_timex_estimated_error_seconds", "Estimated error in seconds.", esterror / MICRO));
    out.add(g("node_timex_status", "Value of the status array bits.", status));
    out.add(g("node_timex_loop_time_constant", "Phase-locked loop time constant.", constant));
    out.add(g("node_timex_tick_seconds", "Seconds between clock ticks.", tick / MICRO));
    out.add(
        g("node_timex_pps_frequency_hertz", "Pulse per second frequency.", ppsfreq / PPM16FRAC));
    out.add(g("node_timex_pps_jitter_seconds", "Pulse per second jitter.", jitter / divisor));
    out.add(g("node_timex_pps_shift_seconds", "Pulse per second interval duration.", shift));
    out.add(
        g(
            "node_timex_pps_stability_hertz",
            "Pulse per second stability, average of recent frequency changes.",
            stabil / PPM16FRAC));
    out.add(
        NfsCollector.counter(
            "node_timex_pps_jitter_total",
            "Pulse per second count of jitter limit exceeded events.",
            jitcnt));
    out.add(
        NfsCollector.counter(
            "node_timex_pps_calibration_total",
            "Pulse per second count of calibration intervals.",
            calcnt));
    out.add(
        NfsCollector.counter(
            "node_timex_pps_error_total", "Pulse per second count of calibration errors.", errcnt));
    out.add(
        NfsCollector.counter(
            "node_timex_pps_stability_exceeded_total",
            "Pulse per second count of stability limit exceeded events.",
            stbcnt));
    out.add(g("node_timex_tai_offset_seconds", "International Atomic Time (TAI) offset.", tai));
  }

  private static MetricFamily g(String name, String help, double value) {
    return StatCollector.gauge(name, help, value);
  }

  private static Reading callKernel() throws Exception {
    try {
      return Jna.adjtimex();
    } catch (NoClassDefFoundError e) {
      throw new NoDataException("timex needs JNA (net.java.dev.jna:jna) on the class path");
    }
  }

  /** Every JNA reference lives here, so the collector loads without JNA. */
  private static final class Jna {
    private Jna() {}

    static Reading adjtimex() throws Exception {
      if (!com.sun.jna.Platform.isLinux() || com.sun.jna.Native.LONG_SIZE != 8) {
        throw new NoDataException("timex reads the 64-bit Linux struct timex only");
      }
      com.sun.jna.Memory buf = new com.sun.jna.Memory(STRUCT_SIZE);
      buf.clear(); // modes = 0: read only, no privilege needed
      com.sun.jna.Function f =
          com.sun.jna.Function.getFunction("c", "adjtimex", com.sun.jna.Function.THROW_LAST_ERROR);
      int state;
      try {
        state = f.invokeInt(new Object[] {buf});
      } catch (com.sun.jna.LastErrorException e) {
        if (e.getErrorCode() == 1 /* EPERM */) {
          throw new NoDataException("adjtimex: operation not permitted");
        }
        throw new java.io.IOException("adjtimex failed: errno " + e.getErrorCode(), e);
      }
      ByteBuffer copy = ByteBuffer.allocate(STRUCT_SIZE).order(ByteOrder.nativeOrder());
      copy.put(buf.getByteBuffer(0, STRUCT_SIZE));
      return new Reading(state, copy);
    }
  }
}

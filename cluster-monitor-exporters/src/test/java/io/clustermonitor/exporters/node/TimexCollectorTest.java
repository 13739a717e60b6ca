package io.clustermonitor.exporters.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class TimexCollectorTest {

  /** A struct timex laid out as in the kernel's include/uapi/linux/timex.h on 64-bit Linux. */
  private static ByteBuffer timex(int status, long offset, long freq) {
    ByteBuffer b = ByteBuffer.allocate(TimexCollector.STRUCT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(8, offset);
    b.putLong(16, freq);
    b.putLong(24, 16_000); // maxerror, us
    b.putLong(32, 250); // esterror, us
    b.putInt(40, status);
    b.putLong(48, 7); // constant
    b.putLong(56, 1); // precision (not exported)
    b.putLong(64, 32_768_000); // tolerance (not exported)
    b.putLong(72, 1_700_000_000); // time.tv_sec (not exported)
    b.putLong(88, 10_000); // tick, us
    b.putLong(96, 65536L * 3); // ppsfreq
    b.putLong(104, 1200); // jitter
    b.putInt(112, 4); // shift
    b.putLong(120, 65536L); // stabil
    b.putLong(128, 11); // jitcnt
    b.putLong(136, 12); // calcnt
    b.putLong(144, 13); // errcnt
    b.putLong(152, 14); // stbcnt
    b.putInt(160, 37); // tai
    return b;
  }

  private static Map<String, MetricFamily> collect(int state, ByteBuffer b) throws Exception {
    List<MetricFamily> out = new ArrayList<>();
    new TimexCollector(() -> new TimexCollector.Reading(state, b)).collect(out);
    return out.stream().collect(Collectors.toMap(MetricFamily::name, f -> f));
  }

  private static double v(Map<String, MetricFamily> m, String name) {
    return m.get(name).samples().get(0).value();
  }

  @Test
  void convertsLikeNodeExporterWithMicrosecondResolution() throws Exception {
    // offset -1500 us, freq +2 ppm (scaled by 2^16)
    Map<String, MetricFamily> m = collect(0, timex(0x0001, -1500, 2 * 65536L));

    assertThat(m).hasSize(17);
    assertThat(v(m, "node_timex_sync_status")).isEqualTo(1);
    assertThat(v(m, "node_timex_offset_seconds")).isCloseTo(-0.0015, Offset.offset(1e-12));
    assertThat(v(m, "node_timex_frequency_adjustment_ratio"))
        .isCloseTo(1.000002, Offset.offset(1e-12));
    assertThat(v(m, "node_timex_maxerror_seconds")).isEqualTo(0.016);
    assertThat(v(m, "node_timex_estimated_error_seconds")).isEqualTo(0.00025);
    assertThat(v(m, "node_timex_status")).isEqualTo(1);
    assertThat(v(m, "node_timex_loop_time_constant")).isEqualTo(7);
    assertThat(v(m, "node_timex_tick_seconds")).isEqualTo(0.01);
    assertThat(v(m, "node_timex_pps_frequency_hertz")).isCloseTo(3e-6, Offset.offset(1e-15));
    assertThat(v(m, "node_timex_pps_jitter_seconds")).isCloseTo(0.0012, Offset.offset(1e-12));
    assertThat(v(m, "node_timex_pps_shift_seconds")).isEqualTo(4);
    assertThat(v(m, "node_timex_pps_stability_hertz")).isCloseTo(1e-6, Offset.offset(1e-15));
    assertThat(v(m, "node_timex_pps_jitter_total")).isEqualTo(11);
    assertThat(v(m, "node_timex_pps_calibration_total")).isEqualTo(12);
    assertThat(v(m, "node_timex_pps_error_total")).isEqualTo(13);
    assertThat(v(m, "node_timex_pps_stability_exceeded_total")).isEqualTo(14);
    assertThat(v(m, "node_timex_tai_offset_seconds")).isEqualTo(37);
    assertThat(m.get("node_timex_pps_error_total").type()).isEqualTo(MetricType.COUNTER);
    assertThat(m.get("node_timex_offset_seconds").type()).isEqualTo(MetricType.GAUGE);
  }

  @Test
  void nanosecondStatusBitChangesTheOffsetAndJitterUnitAndTimeErrorMeansUnsynced()
      throws Exception {
    Map<String, MetricFamily> m = collect(5, timex(0x2000 | 0x0040, -1500, 0));

    assertThat(v(m, "node_timex_sync_status")).isZero();
    assertThat(v(m, "node_timex_offset_seconds")).isCloseTo(-0.0000015, Offset.offset(1e-15));
    assertThat(v(m, "node_timex_pps_jitter_seconds")).isCloseTo(0.0000012, Offset.offset(1e-15));
    assertThat(v(m, "node_timex_status")).isEqualTo(0x2040);
    assertThat(v(m, "node_timex_frequency_adjustment_ratio")).isEqualTo(1);
  }

  @Test
  void aShortBufferIsAnError() {
    assertThatThrownBy(() -> collect(0, ByteBuffer.allocate(100)))
        .hasMessageContaining("struct timex too short");
  }

  @Test
  void theKernelCallWorksOnThisMachine() throws Exception {
    List<MetricFamily> out = new ArrayList<>();
    new TimexCollector().collect(out);
    Map<String, MetricFamily> m =
        out.stream().collect(Collectors.toMap(MetricFamily::name, f -> f));
    // USER_HZ ticks: 100 Hz on every mainstream Linux build
    assertThat(v(m, "node_timex_tick_seconds")).isBetween(0.0009, 0.0101);
    assertThat(v(m, "node_timex_sync_status")).isIn(0.0, 1.0);
  }
}

package dev.seqcast.forecast.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusSourceTest {

  @Test
  void theSeriesKeyIsTheNameAndTheLabelsSortedWhateverTheirOrder() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("job", "node");
    labels.put("__name__", "up");
    labels.put("instance", "a:9100");
    assertEquals("up{instance=\"a:9100\",job=\"node\"}", PrometheusSource.seriesKey(labels));
    assertEquals("up", PrometheusSource.seriesKey(Map.of("__name__", "up")));
    assertEquals("{job=\"x\"}", PrometheusSource.seriesKey(Map.of("job", "x")));
    assertEquals("{}", PrometheusSource.seriesKey(Map.of()));
  }

  @Test
  void labelValuesAreEscapedAsInTheExpositionFormat() {
    assertEquals(
        "m{path=\"C:\\\\tmp \\\"x\\\"\\n\"}",
        PrometheusSource.seriesKey(Map.of("__name__", "m", "path", "C:\\tmp \"x\"\n")));
  }

  @Test
  void durationsReadLikePrometheusOrAsSeconds() {
    assertEquals(Duration.ofSeconds(15), PrometheusSource.parseDuration("15s"));
    assertEquals(Duration.ofSeconds(90), PrometheusSource.parseDuration("1m30s"));
    assertEquals(Duration.ofMillis(500), PrometheusSource.parseDuration("500ms"));
    assertEquals(Duration.ofDays(8), PrometheusSource.parseDuration("1w1d"));
    assertEquals(Duration.ofMillis(2500), PrometheusSource.parseDuration("2.5"));
    assertEquals(Duration.ofSeconds(15), PrometheusSource.parseDuration("15"));
    for (String bad : new String[] {"", "0s", "-1", "1.5m", "15 s", "NaN", "Infinity"}) {
      assertThrows(IllegalArgumentException.class, () -> PrometheusSource.parseDuration(bad), bad);
    }
  }

  @Test
  void onlyHttpUrlsWithAHostAreAccepted() {
    for (String bad : new String[] {"localhost:9090", "ftp://h/", "http://", "not a url", ""}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new PrometheusSource(bad, "up", Duration.ofSeconds(1)),
          bad);
    }
    assertEquals(
        "http://prom:9090/prefix",
        new PrometheusSource("http://prom:9090/prefix/", "up", Duration.ofSeconds(1))
            .baseUrl()
            .toString());
  }
}

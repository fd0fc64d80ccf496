package dev.seqcast.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.testkit.TestModels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lineages, pins, rollbacks and shadows, record by record as the models topic delivers them. */
class ModelRegistryTest {

  private final List<String> events = new ArrayList<>();
  private final ModelRegistry registry =
      new ModelRegistry(
          1,
          new ModelRegistry.Listener() {
            @Override
            public void refused(String source, String reason, String detail) {
              events.add("refused " + reason);
            }

            @Override
            public void live(RecurrentModel model, String why) {
              events.add("live " + model.version());
            }

            @Override
            public void shadow(String name, RecurrentModel model, String why) {
              events.add("shadow " + (model == null ? "none" : model.version()));
            }
          });

  private static byte[] bundle(long version) {
    ModelBundle b = TestModels.random("sp500", version, 4, version);
    return b.encode();
  }

  private void offer(long version) {
    registry.offer("sp500/" + version, bundle(version));
  }

  private void control(Long live, Long shadow) {
    registry.control(
        ModelControl.key("sp500"), new ModelControl(live, shadow, "test", Instant.now()).encode());
  }

  private long live() {
    return registry.current("sp500").version();
  }

  @Test
  void aBundleOfAnotherPipelinesTransformIsIgnoredWithoutARefusal() {
    byte[] speech =
        TestModels.randomSpeech("speech", 1, dev.seqcast.model.CellType.GRU, 8, 1, 0.3).encode();
    assertEquals(ModelRegistry.Outcome.IGNORED, registry.offer("speech/1", speech));
    assertEquals(List.of(), events);
    registry.catchUp(Map.of("speech/1", speech), Topics.MODELS);
    assertEquals(List.of(), events);
    assertNull(registry.current("speech"));
  }

  @Test
  void newestValidVersionIsLiveUntilAPinAndRollbackIsAPinToAnOlderVersion() {
    offer(1);
    offer(2);
    assertEquals(2, live());
    control(1L, null); // rollback
    assertEquals(1, live());
    offer(3); // pinned: a newer version is kept but does not go live
    assertEquals(1, live());
    assertEquals(List.of(1L, 2L, 3L), registry.versions("sp500"));
    control(null, null); // unpin: follow the newest again
    assertEquals(3, live());
    assertEquals(List.of("live 1", "live 2", "live 1", "live 3"), events);
  }

  @Test
  void aShadowRunsBesideTheLiveVersionAndPromotionSwapsThem() {
    offer(1);
    control(1L, null);
    offer(2);
    control(1L, 2L);
    assertEquals(1, live());
    assertEquals(2, registry.shadow("sp500").version());
    control(2L, null); // promote
    assertEquals(2, live());
    assertNull(registry.shadow("sp500"));
    assertEquals(List.of("live 1", "shadow 2", "live 2", "shadow none"), events);
  }

  @Test
  void aPinToAnUnknownVersionRunsTheNewestAndTakesEffectWhenTheVersionArrivesAtStartUp() {
    Map<String, byte[]> stored = new LinkedHashMap<>();
    // store order is key order: "sp500/1" < "sp500/3" < "sp500/control"
    stored.put("sp500/1", bundle(1));
    stored.put("sp500/3", bundle(3));
    stored.put("sp500/control", new ModelControl(1L, 3L, "rolled back", Instant.EPOCH).encode());
    registry.catchUp(stored, Topics.MODELS);
    assertEquals(1, live(), "the rollback survives a restart");
    assertEquals(3, registry.shadow("sp500").version());
    assertEquals(List.of("live 1", "shadow 3"), events, "one decision, no swap on the way");
  }

  @Test
  void aSecondStartUpPassOverTheSameRecordsReportsNothingAgain() {
    byte[] corrupt = bundle(2);
    corrupt[corrupt.length - 33] ^= 1;
    // Kafka Streams passes restored records through the processor, then init() catches up
    registry.offer("sp500/1", bundle(1));
    registry.offer("sp500/2", corrupt);
    Map<String, byte[]> stored = new LinkedHashMap<>();
    stored.put("sp500/1", bundle(1));
    stored.put("sp500/2", corrupt);
    registry.catchUp(stored, Topics.MODELS);
    assertEquals(List.of("live 1", "refused bad-checksum"), events);
  }

  @Test
  void refusalsKeepTheRunningModel() {
    offer(2);
    registry.offer("sp500/1", bundle(1));
    byte[] corrupt = bundle(3);
    corrupt[corrupt.length - 33] ^= 1;
    registry.offer("sp500/3", corrupt);
    registry.control(
        ModelControl.key("sp500"), "{\"live\": \"two\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(2, live());
    assertEquals(
        List.of(
            "live 2", "refused version-not-newer", "refused bad-checksum", "refused bad-control"),
        events);
  }

  @Test
  void controlRecordsRoundTripAndRejectNonsense() {
    ModelControl control =
        new ModelControl(4L, null, "bad v5", Instant.parse("2026-11-25T06:00:00Z"));
    assertEquals(control, ModelControl.decode(control.encode()));
    assertThrows(IllegalArgumentException.class, () -> new ModelControl(2L, 2L, "", Instant.EPOCH));
    assertThrows(
        IllegalArgumentException.class, () -> new ModelControl(0L, null, "", Instant.EPOCH));
    assertThrows(
        IllegalArgumentException.class,
        () -> ModelControl.decode("[1]".getBytes(StandardCharsets.UTF_8)));
    assertEquals("sp500", ModelControl.nameOf(ModelControl.key("sp500")));
  }
}

package dev.seqcast.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.seqcast.forecast.PredictorApp;
import dev.seqcast.model.CellType;
import dev.seqcast.speech.SpeechApp;
import dev.seqcast.streams.ModelCatalog.StoredBundle;
import dev.seqcast.testkit.TestModels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lineup the model commands print is the one the pipelines' own registries decide. */
class ModelLineupTest {

  private final List<StoredBundle> topic = new ArrayList<>();

  private void publish(String key, byte[] value) {
    topic.add(new StoredBundle(key, value, 0, topic.size(), Instant.EPOCH));
  }

  private static ModelLineup lineup(List<StoredBundle> stored) {
    ModelRegistry.Listener quiet = (source, reason, detail) -> {};
    return ModelLineup.of(
        stored, List.of(PredictorApp.registry(quiet, null, 1), SpeechApp.registry(quiet, null)));
  }

  @Test
  void aWellFormedBundleThePredictorRefusesIsNeverNamedLive() {
    publish("prices/1", TestModels.random("prices", 1, 8, 1).encode());
    // Decodes and checks out on its own account, but takes 3 features: every instance refuses it.
    publish("prices/2", TestModels.random("prices", 2, CellType.LSTM, 3, 8, 1, 2, 0.3).encode());

    ModelLineup.Model prices = lineup(topic).model("prices");

    assertEquals(List.of(1L), prices.validVersions());
    assertEquals(1L, prices.live());
  }

  @Test
  void aPinAndAShadowAreAppliedAsTheRegistryAppliesThem() {
    for (long v = 1; v <= 3; v++) {
      publish("prices/" + v, TestModels.random("prices", v, 8, v).encode());
    }
    publish(
        ModelControl.key("prices"), new ModelControl(2L, 3L, "rollback", Instant.EPOCH).encode());

    ModelLineup.Model prices = lineup(topic).model("prices");

    assertEquals(2L, prices.live());
    assertEquals(3L, prices.shadow());
    assertEquals("pinned: rollback", prices.liveReason());
  }

  @Test
  void eachPipelineClaimsItsOwnModels() {
    publish("prices/1", TestModels.random("prices", 1, 8, 1).encode());
    publish("speech/4", TestModels.randomSpeech("speech", 4, CellType.GRU, 8, 1, 0.3).encode());

    ModelLineup lineup = lineup(topic);

    assertEquals(1L, lineup.model("prices").live());
    assertEquals(4L, lineup.model("speech").live());
    assertNull(lineup.model("speech").shadow());
  }
}

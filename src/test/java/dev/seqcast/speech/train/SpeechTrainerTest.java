package dev.seqcast.speech.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.speech.LogMelFeatures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A few epochs on two recordings: the bundle is a speech tagger and training lowers the loss. */
class SpeechTrainerTest {

  @ParameterizedTest
  @EnumSource(CellType.class)
  void trainingMakesASpeechTaggerBundleAndLowersTheLoss(CellType cell) throws Exception {
    List<SpeechCorpus.Recording> recordings =
        List.of(
            SpeechCorpus.read(SpeechCorpusTest.TRAIN.resolve("en-us-m3-snr20.wav")),
            SpeechCorpus.read(SpeechCorpusTest.TRAIN.resolve("de-f4-snr10.wav")));
    List<Double> losses = new ArrayList<>();
    SpeechTrainer.Result result =
        SpeechTrainer.train(
            recordings,
            "two",
            new SpeechTrainer.Options("speech", 2, cell, 8, 1, 6, 100, 16, 1e-2, 4),
            (epoch, total, loss) -> losses.add(loss));
    ModelBundle bundle = ModelBundle.decode(result.bundle().encode());
    assertEquals(SpeechCorpus.CLASSES, bundle.header().head().classes());
    assertEquals(LogMelFeatures.TRANSFORM, bundle.header().normalisation().transform());
    assertEquals(LogMelFeatures.names(), bundle.header().features());
    assertEquals(recordings.get(0).frames() + recordings.get(1).frames(), result.frames());
    assertTrue(losses.get(losses.size() - 1) < losses.get(0), "loss " + losses);
    RecurrentModel model = RecurrentModel.from(bundle);
    double accuracy = result.accuracy();
    assertTrue(accuracy > 0 && accuracy <= 1, "accuracy " + accuracy);
    assertEquals(accuracy, bundle.header().metrics().get("trainFrameAccuracy"), 1e-12);
    assertEquals(cell, model.cell());
  }
}

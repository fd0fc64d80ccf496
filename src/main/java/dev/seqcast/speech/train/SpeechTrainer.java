package dev.seqcast.speech.train;

import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.OutputHead;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.speech.LogMelFeatures;
import dev.seqcast.train.EpochListener;
import dev.seqcast.train.TrainableNetwork;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a unidirectional frame tagger (GRU through SameDiff, LSTM through DL4J) on corpus
 * recordings: features from {@link LogMelFeatures} (the code the stream runs), one-hot targets from
 * the recordings' tags, softmax head over {@link SpeechCorpus#CLASSES}. Each recording is cut into
 * sequences of {@code sequence} frames (and again at half a sequence's offset, so every frame is
 * seen at two depths into a sequence), shuffled into minibatches each epoch. The trained weights
 * are scored by seqcast's own kernel over each whole recording, as the stream runs them.
 * Single-threaded.
 */
public final class SpeechTrainer {

  /**
   * Training settings.
   *
   * @param name model name
   * @param version model version
   * @param cell recurrent cell
   * @param hiddenSize hidden units per layer
   * @param layers stacked layers
   * @param epochs passes over the data
   * @param sequence frames per training sequence (also the LSTM's truncated BPTT length)
   * @param batch sequences per minibatch
   * @param learningRate Adam learning rate
   * @param seed random seed (weights and shuffling)
   */
  public record Options(
      String name,
      long version,
      CellType cell,
      int hiddenSize,
      int layers,
      int epochs,
      int sequence,
      int batch,
      double learningRate,
      long seed) {

    /** Validates the settings. */
    public Options {
      if (hiddenSize < 1 || epochs < 1 || sequence < 2 || batch < 1) {
        throw new IllegalArgumentException(
            "hidden, epochs and batch must be >= 1 and the sequence length >= 2");
      }
    }
  }

  /**
   * The outcome.
   *
   * @param bundle the trained model
   * @param frames training frames
   * @param accuracy frame accuracy of the kernel over the training recordings, streamed whole
   */
  public record Result(ModelBundle bundle, int frames, double accuracy) {}

  private SpeechTrainer() {}

  /** Trains on {@code recordings}; {@code data} names them in the header. */
  public static Result train(
      List<SpeechCorpus.Recording> recordings,
      String data,
      Options options,
      EpochListener listener) {
    LogMelFeatures features = new LogMelFeatures(LogMelFeatures.DEFAULT_NORMALISATION);
    List<float[][]> inputs = new ArrayList<>();
    List<int[]> starts = new ArrayList<>(); // {recording, first frame}
    int frames = 0;
    for (int r = 0; r < recordings.size(); r++) {
      float[][] x = features.frames(recordings.get(r).samples());
      inputs.add(x);
      frames += x.length;
      for (int offset : new int[] {0, options.sequence() / 2}) {
        for (int at = offset; at + options.sequence() <= x.length; at += options.sequence()) {
          starts.add(new int[] {r, at});
        }
      }
    }
    if (starts.isEmpty()) {
      throw new IllegalArgumentException(
          "no recording has " + options.sequence() + " frames: too short for training");
    }
    int classes = SpeechCorpus.CLASSES.size();
    OutputHead head = OutputHead.classification(SpeechCorpus.CLASSES);
    TrainableNetwork net =
        TrainableNetwork.create(
            options.cell(),
            LogMelFeatures.SIZE,
            options.hiddenSize(),
            options.layers(),
            classes,
            head,
            options.seed(),
            options.sequence(),
            options.learningRate());
    Random random = new Random(options.seed());
    for (int epoch = 1; epoch <= options.epochs(); epoch++) {
      Collections.shuffle(starts, random);
      double loss = 0;
      int batches = 0;
      for (int from = 0; from < starts.size(); from += options.batch()) {
        List<int[]> batch = starts.subList(from, Math.min(starts.size(), from + options.batch()));
        loss += net.fit(minibatch(batch, inputs, recordings, options.sequence(), classes));
        batches++;
      }
      listener.epochDone(epoch, options.epochs(), loss / batches);
    }

    Map<String, Object> training = new LinkedHashMap<>();
    training.put("data", data);
    training.put("recordings", recordings.size());
    training.put(
        "speakers",
        new TreeSet<>(recordings.stream().map(r -> r.source().speaker()).toList()).toString());
    training.put("frames", frames);
    training.put("epochs", options.epochs());
    training.put("sequence", options.sequence());
    training.put("batch", options.batch());
    training.put("learningRate", options.learningRate());
    training.put("seed", options.seed());
    ModelHeader provisional = header(options, head, training, Map.of());
    ModelBundle trained = net.export(provisional);
    double accuracy = accuracy(RecurrentModel.from(trained), inputs, recordings);
    ModelBundle bundle =
        new ModelBundle(
            header(options, head, training, Map.of("trainFrameAccuracy", accuracy)),
            trained.weights());
    return new Result(bundle, frames, accuracy);
  }

  private static ModelHeader header(
      Options options, OutputHead head, Map<String, Object> training, Map<String, Double> metrics) {
    return new ModelHeader(
        options.name(),
        options.version(),
        options.cell(),
        LogMelFeatures.SIZE,
        options.hiddenSize(),
        options.layers(),
        head.classes().size(),
        LogMelFeatures.names(),
        LogMelFeatures.DEFAULT_NORMALISATION,
        training,
        metrics,
        Instant.now(),
        head);
  }

  private static DataSet minibatch(
      List<int[]> batch,
      List<float[][]> inputs,
      List<SpeechCorpus.Recording> recordings,
      int length,
      int classes) {
    INDArray x = Nd4j.create(new long[] {batch.size(), LogMelFeatures.SIZE, length}, 'c');
    INDArray y = Nd4j.create(new long[] {batch.size(), classes, length}, 'c');
    for (int b = 0; b < batch.size(); b++) {
      int r = batch.get(b)[0];
      int at = batch.get(b)[1];
      float[][] frames = inputs.get(r);
      int[] tags = recordings.get(r).tags();
      for (int t = 0; t < length; t++) {
        for (int k = 0; k < LogMelFeatures.SIZE; k++) {
          x.putScalar(new long[] {b, k, t}, frames[at + t][k]);
        }
        y.putScalar(new long[] {b, tags[at + t], t}, 1f);
      }
    }
    return new DataSet(x, y);
  }

  /** Fraction of frames whose most likely class is the tag, streaming each recording whole. */
  static double accuracy(
      RecurrentModel model, List<float[][]> inputs, List<SpeechCorpus.Recording> recordings) {
    StepKernel kernel = model.newKernel();
    float[] output = new float[model.outputSize()];
    long hits = 0;
    long total = 0;
    for (int r = 0; r < inputs.size(); r++) {
      float[] state = new float[model.stateSize()];
      int[] tags = recordings.get(r).tags();
      for (int t = 0; t < inputs.get(r).length; t++) {
        kernel.step(state, inputs.get(r)[t]);
        kernel.output(state, output);
        int best = 0;
        for (int k = 1; k < output.length; k++) {
          if (output[k] > output[best]) {
            best = k;
          }
        }
        hits += best == tags[t] ? 1 : 0;
        total++;
      }
    }
    return (double) hits / total;
  }
}

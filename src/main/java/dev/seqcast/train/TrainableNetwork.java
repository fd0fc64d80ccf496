package dev.seqcast.train;

import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.OutputHead;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A recurrent network of either cell behind the two calls training needs: LSTM as a DL4J {@code
 * MultiLayerNetwork} ({@link Dl4jLstm}), GRU as a SameDiff graph ({@link SameDiffGru}). Data is
 * DL4J's layout, inputs and targets {@code [batch][features][time]}. Single-threaded.
 */
public interface TrainableNetwork {

  /** One update pass over {@code data}; returns the loss. */
  double fit(DataSet data);

  /** The weights in the bundle layout under {@code header}. */
  ModelBundle export(ModelHeader header);

  /**
   * A fresh network: stacked layers of {@code cell} and a head of the given kind.
   *
   * @param tbptt truncated BPTT length (LSTM); the GRU back-propagates through whole sequences
   */
  static TrainableNetwork create(
      CellType cell,
      int inputSize,
      int hiddenSize,
      int layers,
      int outputSize,
      OutputHead head,
      long seed,
      int tbptt,
      double learningRate) {
    return switch (cell) {
      case LSTM -> {
        MultiLayerNetwork lstm =
            Dl4jLstm.network(
                inputSize, hiddenSize, layers, outputSize, head, seed, tbptt, learningRate);
        yield new TrainableNetwork() {
          @Override
          public double fit(DataSet data) {
            lstm.fit(data);
            return lstm.score();
          }

          @Override
          public ModelBundle export(ModelHeader header) {
            return Dl4jLstm.export(lstm, header);
          }
        };
      }
      case GRU -> {
        SameDiffGru gru =
            SameDiffGru.create(inputSize, hiddenSize, layers, outputSize, head, seed, learningRate);
        yield new TrainableNetwork() {
          @Override
          public double fit(DataSet data) {
            return gru.fit(data);
          }

          @Override
          public ModelBundle export(ModelHeader header) {
            return gru.export(header);
          }
        };
      }
    };
  }
}

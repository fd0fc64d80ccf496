package dev.seqcast.model;

import java.util.List;

/**
 * Several recurrent models of one shape as a single model whose output is the mean of theirs, so an
 * ensemble runs in the stream as one model, one kernel and one state vector per series.
 *
 * <p>K members of hidden size h become one model of hidden size K·h with block-diagonal weights:
 * every gate block of every layer holds member k's rows at units {@code k·h .. k·h + h − 1}; layer
 * 0 reads the shared features, a higher layer reads only its own member's units of the layer below,
 * and every recurrent weight connects units of the same member. The members therefore evolve
 * exactly as they would alone (the gates act unit by unit), and the head, each member's head
 * divided by K side by side with the mean of their biases, outputs the mean of their outputs. The
 * step costs about K² times one member's (the kernel multiplies the zero blocks too). Stateless.
 */
public final class ModelEnsemble {

  private ModelEnsemble() {}

  /**
   * The mean of {@code members} as one model under {@code header}, whose hidden size must be the
   * members' times their number and whose other sizes must be theirs.
   *
   * @throws IllegalArgumentException if the members differ in shape or the header does not fit
   */
  public static ModelBundle average(List<ModelBundle> members, ModelHeader header) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs a member");
    }
    ModelHeader shape = members.get(0).header();
    int k = members.size();
    for (ModelBundle member : members) {
      ModelHeader m = member.header();
      if (m.cell() != shape.cell()
          || m.inputSize() != shape.inputSize()
          || m.hiddenSize() != shape.hiddenSize()
          || m.layers() != shape.layers()
          || m.outputSize() != shape.outputSize()) {
        throw new IllegalArgumentException("ensemble members must share one shape");
      }
    }
    if (header.cell() != shape.cell()
        || header.inputSize() != shape.inputSize()
        || header.hiddenSize() != k * shape.hiddenSize()
        || header.layers() != shape.layers()
        || header.outputSize() != shape.outputSize()) {
      throw new IllegalArgumentException(
          "an ensemble of " + k + " has the members' shape with " + k + " times their units");
    }
    int h = shape.hiddenSize();
    int gates = shape.cell().gates();
    int hk = k * h;
    float[] out = new float[header.weightCount()];
    int at = 0; // position in the merged layout
    int[] from = new int[k]; // position in each member's layout
    float[][] w = new float[k][];
    for (int m = 0; m < k; m++) {
      w[m] = members.get(m).weights();
    }
    for (int layer = 0; layer < shape.layers(); layer++) {
      int memberIn = shape.layerInputSize(layer);
      int mergedIn = header.layerInputSize(layer);
      int memberWidth = memberIn + h;
      int mergedWidth = mergedIn + hk;
      for (int gate = 0; gate < gates; gate++) {
        for (int m = 0; m < k; m++) {
          for (int j = 0; j < h; j++) {
            int row = at + ((gate * hk) + m * h + j) * mergedWidth;
            int memberRow = from[m] + ((gate * h) + j) * memberWidth;
            for (int c = 0; c < memberIn; c++) {
              int column = layer == 0 ? c : m * h + c; // higher layers read their own units only
              out[row + column] = w[m][memberRow + c];
            }
            for (int c = 0; c < h; c++) {
              out[row + mergedIn + m * h + c] = w[m][memberRow + memberIn + c];
            }
          }
        }
      }
      at += gates * hk * mergedWidth;
      for (int m = 0; m < k; m++) {
        from[m] += gates * h * memberWidth;
      }
      for (int gate = 0; gate < gates; gate++) {
        for (int m = 0; m < k; m++) {
          System.arraycopy(w[m], from[m] + gate * h, out, at + gate * hk + m * h, h);
        }
      }
      at += gates * hk;
      for (int m = 0; m < k; m++) {
        from[m] += gates * h;
      }
    }
    int outputs = shape.outputSize();
    for (int o = 0; o < outputs; o++) {
      for (int m = 0; m < k; m++) {
        for (int j = 0; j < h; j++) {
          out[at + o * hk + m * h + j] = w[m][from[m] + o * h + j] / k;
        }
      }
    }
    at += outputs * hk;
    for (int o = 0; o < outputs; o++) {
      float sum = 0;
      for (int m = 0; m < k; m++) {
        sum += w[m][from[m] + outputs * h + o];
      }
      out[at + o] = sum / k;
    }
    return new ModelBundle(header, out);
  }
}

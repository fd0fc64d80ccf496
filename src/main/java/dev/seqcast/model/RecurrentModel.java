package dev.seqcast.model;

/**
 * A validated, immutable model ready for streaming inference: header facts plus weights laid out
 * for the step kernels. Safe to share between threads; each thread gets its own {@link
 * #newKernel()}.
 *
 * <p>In memory each layer's gate matrix is stored by column: one {@code float[G·h]} per input
 * (features or lower layer's h, then this layer's h). The kernel walks the inputs once and, for
 * each input value, adds its contribution to all {@code G·h} gate rows with one contiguous
 * multiply-add loop. Separate arrays starting at index 0 matter: HotSpot's C2 (JDK 17) turns {@code
 * acc[r] += a * column[r]} into SIMD instructions, but not the same loop at an unknown offset into
 * one big array, which measured ~6x slower. (The bundle keeps the row-major form documented in
 * {@link ModelBundle}.)
 *
 * <p>Recurrent state, per series: for each layer in order, {@code [h | c]} (LSTM) or {@code [h]}
 * (GRU). The head reads the top layer's {@code h}.
 */
public final class RecurrentModel {

  /** One recurrent layer's weights in kernel layout. */
  static final class Layer {
    /** Inputs of this layer ({@code n} for layer 0, {@code h} above). */
    final int inputs;

    /** Gate matrix by column: {@code columns[k]} holds the {@code G·h} weights of input k. */
    final float[][] columns;

    /** Gate bias {@code [G·h]}. */
    final float[] bias;

    /** Offset of this layer's part in the state vector. */
    final int stateOffset;

    Layer(int inputs, float[][] columns, float[] bias, int stateOffset) {
      this.inputs = inputs;
      this.columns = columns;
      this.bias = bias;
      this.stateOffset = stateOffset;
    }
  }

  private final ModelHeader header;
  final int hidden;
  final Layer[] layers;

  /** Row-major {@code [out][h]}. */
  final float[] head;

  final float[] headBias;

  /** Offset of the top layer's {@code h} in the state vector. */
  final int headOffset;

  /** Whether the head ends in a softmax (a classification head). */
  final boolean softmax;

  private RecurrentModel(ModelHeader header, float[] w) {
    this.header = header;
    this.hidden = header.hiddenSize();
    int rows = header.cell().gates() * hidden;
    int perLayerState = header.cell().stateVectors() * hidden;
    this.layers = new Layer[header.layers()];
    int at = 0;
    for (int l = 0; l < layers.length; l++) {
      int inputs = header.layerInputSize(l);
      int width = inputs + hidden;
      float[][] columns = new float[width][rows];
      for (int row = 0; row < rows; row++) {
        for (int k = 0; k < width; k++) {
          columns[k][row] = w[at + row * width + k];
        }
      }
      at += rows * width;
      layers[l] = new Layer(inputs, columns, slice(w, at, rows), l * perLayerState);
      at += rows;
    }
    int out = header.outputSize();
    head = slice(w, at, out * hidden);
    at += head.length;
    headBias = slice(w, at, out);
    headOffset = (layers.length - 1) * perLayerState;
    softmax = header.head().isClassification();
  }

  /** The model a validated bundle describes. */
  public static RecurrentModel from(ModelBundle bundle) {
    return new RecurrentModel(bundle.header(), bundle.weights());
  }

  private static float[] slice(float[] w, int from, int length) {
    float[] part = new float[length];
    System.arraycopy(w, from, part, 0, length);
    return part;
  }

  /** The header of the bundle this model came from. */
  public ModelHeader header() {
    return header;
  }

  /** Model name, e.g. {@code sp500}; series are routed to models by name. */
  public String name() {
    return header.name();
  }

  /** Version; a newer version of the same name replaces an older one. */
  public long version() {
    return header.version();
  }

  /** The recurrent cell. */
  public CellType cell() {
    return header.cell();
  }

  /** Features per step. */
  public int inputSize() {
    return header.inputSize();
  }

  /** Hidden units per layer. */
  public int hiddenSize() {
    return hidden;
  }

  /** Length of the recurrent state vector a series carries. */
  public int stateSize() {
    return header.stateSize();
  }

  /** Outputs of the head. */
  public int outputSize() {
    return header.outputSize();
  }

  /** What the outputs mean; a classification head's outputs are class probabilities. */
  public OutputHead head() {
    return header.head();
  }

  /** The input transform the model was trained with. */
  public Normalisation normalisation() {
    return header.normalisation();
  }

  /** A new kernel for the calling thread. */
  public StepKernel newKernel() {
    return switch (header.cell()) {
      case LSTM -> new LstmKernel(this);
      case GRU -> new GruKernel(this);
    };
  }

  /**
   * Which loop implementation every kernel in this JVM uses: {@code scalar} (default) or {@code
   * vector} (JDK Vector API, with {@code -Dseqcast.kernel=vector --add-modules
   * jdk.incubator.vector}).
   */
  public static String kernelImplementation() {
    return KernelMath.implementation();
  }
}

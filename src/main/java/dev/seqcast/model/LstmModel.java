package dev.seqcast.model;

/**
 * An LSTM ready for streaming inference, with weights laid out for {@link LstmKernel}'s inner loop
 * (see {@link ModelBundle} for the layout). Immutable and shared by all threads.
 */
public final class LstmModel implements RecurrentModel {

  private final ModelHeader header;
  final int n;
  final int h;
  final int out;

  /** Row-major {@code [4h][n + h]}, gate blocks i, f, g, o; each row over {@code [x | h]}. */
  final float[] gates;

  final float[] gateBias;

  /** Row-major {@code [out][h]}. */
  final float[] head;

  final float[] headBias;

  private LstmModel(ModelHeader header, float[] w) {
    this.header = header;
    this.n = header.inputSize();
    this.h = header.hiddenSize();
    this.out = header.outputSize();
    int at = 0;
    gates = slice(w, at, 4 * h * (n + h));
    at += gates.length;
    gateBias = slice(w, at, 4 * h);
    at += gateBias.length;
    head = slice(w, at, out * h);
    at += head.length;
    headBias = slice(w, at, out);
  }

  /** The model a validated bundle describes. */
  public static LstmModel from(ModelBundle bundle) {
    if (bundle.header().cell() != CellType.LSTM) {
      throw new IllegalArgumentException("not an LSTM bundle: " + bundle.header().cell());
    }
    return new LstmModel(bundle.header(), bundle.weights());
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

  @Override
  public String name() {
    return header.name();
  }

  @Override
  public long version() {
    return header.version();
  }

  @Override
  public CellType cell() {
    return CellType.LSTM;
  }

  @Override
  public int inputSize() {
    return n;
  }

  /** Hidden units. */
  public int hiddenSize() {
    return h;
  }

  @Override
  public int stateSize() {
    return 2 * h;
  }

  @Override
  public int outputSize() {
    return out;
  }

  @Override
  public Normalisation normalisation() {
    return header.normalisation();
  }

  @Override
  public LstmKernel newKernel() {
    return new LstmKernel(this);
  }
}

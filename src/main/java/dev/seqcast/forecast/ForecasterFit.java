package dev.seqcast.forecast;

import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.Normalisation;
import dev.seqcast.model.OutputHead;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.SmoothingSpec;
import dev.seqcast.streams.ModelFit;

/**
 * The forecasting models the predictor runs: the one-step log-return forecaster (one feature per
 * step, a regression head; horizons beyond 1 rolled forward) and the smoothed multi-horizon
 * forecaster (a header with {@code smoothing}; every horizon from its head). A smoothed model whose
 * head emits fewer horizons than the predictor's {@code --horizon} does not fit: it is refused, and
 * the running model stays, rather than emitting fewer predictions per tick than consumers were
 * promised. Its tick features all fit, since a tick may carry any named feature and one it lacks
 * reads as the training mean. Speech bundles are another pipeline's.
 *
 * @param horizon forecasts the predictor emits per tick ({@link ForecastSettings#horizon()})
 */
public record ForecasterFit(int horizon) implements ModelFit {

  private static final ModelFit ONE_STEP =
      ModelFit.of(1, Normalisation.LOG_RETURN, OutputHead.Kind.REGRESSION);

  @Override
  public boolean serves(ModelHeader header) {
    String transform = header.normalisation().transform();
    return transform.equals(Normalisation.LOG_RETURN)
        || SmoothingSpec.Transform.byWireName(transform) != null;
  }

  @Override
  public void check(RecurrentModel model) {
    SmoothingSpec smoothing = model.header().smoothing();
    if (smoothing == null) {
      ONE_STEP.check(model);
      return;
    }
    if (model.head().kind() != OutputHead.Kind.REGRESSION) {
      throw new IllegalArgumentException("a smoothed forecaster needs a regression head");
    }
    if (smoothing.horizon() < horizon) {
      throw new IllegalArgumentException(
          "model emits horizons 1.."
              + smoothing.horizon()
              + ", the predictor emits 1.."
              + horizon
              + " (serve --horizon); train it with --horizon "
              + horizon
              + " or serve a smaller horizon");
    }
  }
}

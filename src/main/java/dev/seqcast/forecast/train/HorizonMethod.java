package dev.seqcast.forecast.train;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.model.ExponentialSmoothing;
import dev.seqcast.model.HorizonForecaster;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.train.EpochListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The smoothed multi-horizon forecaster as a {@link ForecastMethod}: each fold trains a fresh model
 * with {@link HorizonTrainer} on the fold's window (which keeps the window's last part for early
 * stopping), then runs it as the stream does, through {@link HorizonForecaster}: both states are
 * warmed over the window tick by tick, each observed value steps them, and horizons 1..H are read
 * off the head at once.
 *
 * <p>A method given a {@link Panel} trains as a global model does: on the fold's window together
 * with every other series of the panel cut at the window's last event time (nothing after it, of
 * any series, is seen), then runs on the backtested series alone. One set of smoothing coefficients
 * and one network then serve the whole panel, chosen on all its series' validation parts, and a
 * series too short to train on by itself is still forecast when the panel's others are long enough.
 */
public final class HorizonMethod implements ForecastMethod {

  /** The name in backtest tables. */
  public static final String NAME = "es-lstm";

  private final HorizonTrainer.Options options;
  private final EpochListener listener;
  private final Panel panel;
  private final String member;

  /**
   * @param options training settings for every fold (their horizon must cover the backtest's)
   * @param listener told after each epoch of each fold
   */
  public HorizonMethod(HorizonTrainer.Options options, EpochListener listener) {
    this(options, listener, null, null);
  }

  /**
   * @param options training settings for every fold (their horizon must cover the backtest's)
   * @param listener told after each epoch of each fold
   * @param panel the series trained beside the backtested one, or null for none
   * @param member the backtested series' id in {@code panel} (its points there are replaced by the
   *     fold's window), or null when it is not one of them
   */
  public HorizonMethod(
      HorizonTrainer.Options options, EpochListener listener, Panel panel, String member) {
    this.options = options;
    this.listener = listener;
    this.panel = panel;
    this.member = member;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Fitted fit(long[] timestamps, double[] window) {
    Series own = new Series(options.name(), timestamps, window);
    HorizonTrainer.Result trained =
        panel == null
            ? HorizonTrainer.train(List.of(own), Map.of("data", "backtest fold"), options, listener)
            : panel.train(own, member, options, listener);
    HorizonForecaster forecaster = new HorizonForecaster(RecurrentModel.from(trained.bundle()));
    float[] recurrent = forecaster.newRecurrentState();
    ExponentialSmoothing.State smoothing = forecaster.newSmoothingState();
    for (int t = 0; t < window.length; t++) {
      forecaster.observe(recurrent, smoothing, window[t], timestamps[t], null);
    }
    long[] last = {timestamps[timestamps.length - 1]};
    long spacing = forecaster.inputs().spec().spacingMillis();
    return new Fitted() {
      @Override
      public void forecast(double[] forecasts) {
        forecaster.forecast(recurrent, smoothing, forecasts);
      }

      @Override
      public void observe(long timestamp, double value) {
        forecaster.observe(recurrent, smoothing, value, timestamp, null);
        last[0] = timestamp;
      }

      @Override
      public void observe(double value) {
        observe(last[0] + spacing, value);
      }

      @Override
      public double errorScale() {
        return forecaster.errorScale(smoothing);
      }
    };
  }

  /**
   * Series trained together, as one global model is trained on many: each fold trains on every
   * member cut at the fold's last event time, missing values carried forward as {@link Backtest}
   * carries them. The panel remembers what it trained, so the series of one panel backtested at the
   * same cut (as those of one file are) share one training instead of repeating it.
   */
  public static final class Panel {
    private final String name;
    private final List<Series> members;
    private final List<Trained> trained = new ArrayList<>();

    private record Trained(
        HorizonTrainer.Options options, List<Series> data, HorizonTrainer.Result result) {}

    /**
     * @param name the panel's name, e.g. its file and column
     * @param members the panel's series, in a fixed order; each starts at its first observed value
     *     (one with none is left out)
     */
    public Panel(String name, List<Series> members) {
      this.name = name;
      this.members = new ArrayList<>();
      for (Series s : members) {
        int first = s.firstObserved();
        if (first < s.size()) {
          Series observed = s.range(first, s.size());
          this.members.add(
              new Series(s.id(), observed.timestamps(), Backtest.carriedForward(observed)));
        }
      }
    }

    /** The panel's name. */
    public String name() {
      return name;
    }

    /** The panel's members, missing values carried forward. */
    public List<Series> members() {
      return List.copyOf(members);
    }

    /**
     * Trains on {@code own} (the fold's window of the series {@code member}, or a series not in the
     * panel when {@code member} is null) and every other member up to {@code own}'s last event
     * time; series shorter than the trainer needs are left out of the training.
     *
     * @throws IllegalArgumentException when none is long enough
     */
    HorizonTrainer.Result train(
        Series own, String member, HorizonTrainer.Options options, EpochListener listener) {
      long cut = own.timestamps()[own.size() - 1];
      int minimum = HorizonTrainer.minimumPoints(options);
      List<Series> data = new ArrayList<>();
      boolean placed = false;
      for (Series m : members) {
        Series part;
        if (m.id().equals(member)) {
          part = own;
          placed = true;
        } else {
          part = m.upTo(cut);
        }
        if (part.size() >= minimum) {
          data.add(part);
        }
      }
      if (!placed && own.size() >= minimum) {
        data.add(own);
      }
      if (data.isEmpty()) {
        throw new IllegalArgumentException(
            String.format(
                "the fold trains on %d points and no series of its panel has the %d its trainer"
                    + " needs up to that time",
                own.size(), minimum));
      }
      for (Trained t : trained) {
        if (t.options().equals(options) && same(t.data(), data)) {
          return t.result();
        }
      }
      HorizonTrainer.Result result =
          HorizonTrainer.train(
              data, Map.of("data", "backtest fold, " + data.size() + " series"), options, listener);
      trained.add(new Trained(options, data, result));
      return result;
    }

    private static boolean same(List<Series> a, List<Series> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!Arrays.equals(a.get(i).timestamps(), b.get(i).timestamps())
            || !Arrays.equals(a.get(i).values(), b.get(i).values())) {
          return false;
        }
      }
      return true;
    }
  }
}

package dev.seqcast.bench;

import dev.seqcast.speech.AudioChunks;
import dev.seqcast.speech.LogMelFeatures;
import dev.seqcast.speech.Resampler;
import dev.seqcast.speech.SpeechState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The speech tagger's resampler, per accepted input rate: its cost per 10 ms of audio on one thread
 * against the log-mel features' own cost per 10 ms (one frame) measured in the same run, and its
 * response from tone sweeps ({@link ToneResponse}): the passband ripple (largest gain error of
 * in-band tones every {@code --step-hz}) and how far down everything that must not reach the 16 kHz
 * output comes out — tones between the stopband edge and the input's Nyquist frequency
 * (downsampling), and all but the tone itself for in-band tones (aliases, images, rounding).
 */
@Command(
    name = "resampler",
    mixinStandardHelpOptions = true,
    description =
        "Speech resampler from every accepted rate to 16 kHz: ns per 10 ms of audio vs the log-mel"
            + " features per 10 ms, passband ripple and alias/image attenuation from tone sweeps."
            + " Writes resampler.json.")
public final class ResamplerBench implements Callable<Integer> {

  private static final String NAME = "resampler";
  private static final double RIPPLE_GOAL_DB = 0.1;
  private static final double ATTENUATION_GOAL_DB = 60;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BenchOptions options;

  @Option(
      names = "--audio-seconds",
      defaultValue = "20",
      description = "Audio resampled per timed round and rate.")
  int audioSeconds;

  @Option(names = "--warmup", defaultValue = "3", description = "Untimed rounds first.")
  int warmup;

  @Option(
      names = "--rounds",
      defaultValue = "7",
      description = "Timed rounds; the median is reported.")
  int rounds;

  @Option(names = "--step-hz", defaultValue = "25", description = "Spacing of the sweep's tones.")
  double stepHz;

  /** What the timed loops computed, kept so that the JIT cannot drop them. */
  private volatile double sink;

  @Override
  public Integer call() throws Exception {
    if (audioSeconds < 1 || warmup < 0 || rounds < 1 || !(stepHz >= 1)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--audio-seconds and --rounds must be positive, --warmup at least 0, --step-hz ≥ 1");
    }
    List<Integer> rates =
        Resampler.RATES.stream().filter(r -> r != AudioChunks.SAMPLE_RATE).toList();
    Random random = new Random(1);
    Map<Integer, short[]> inputs = new LinkedHashMap<>();
    for (int rate : rates) {
      inputs.put(rate, noise(random, rate * audioSeconds));
    }
    float[] features16k = new float[AudioChunks.SAMPLE_RATE * audioSeconds];
    short[] noise16k = noise(random, features16k.length);
    for (int i = 0; i < features16k.length; i++) {
      features16k[i] = noise16k[i] / 32768f;
    }

    double hops = audioSeconds * 100.0; // 10 ms hops per round
    Map<Integer, double[]> resamplerNs = new LinkedHashMap<>();
    rates.forEach(r -> resamplerNs.put(r, new double[rounds]));
    double[] featuresNs = new double[rounds];
    for (int round = -warmup; round < rounds; round++) {
      for (int rate : rates) {
        double ns = timeResampler(rate, inputs.get(rate)) / hops;
        if (round >= 0) {
          resamplerNs.get(rate)[round] = ns;
        }
      }
      double ns = timeFeatures(features16k) / hops;
      if (round >= 0) {
        featuresNs[round] = ns;
      }
    }
    double features = median(featuresNs);
    System.out.printf("log-mel features: %,.0f ns per 10 ms of audio (one frame)%n", features);

    List<BenchResult> results = new ArrayList<>();
    double worstRipple = 0;
    double leastAttenuation = Double.MAX_VALUE;
    for (int rate : rates) {
      Resampler r = Resampler.from(rate);
      double ns = median(resamplerNs.get(rate));
      Sweep sweep = sweep(r);
      worstRipple = Math.max(worstRipple, sweep.rippleDb);
      leastAttenuation = Math.min(leastAttenuation, sweep.attenuationDb());
      System.out.printf(
          "%5d Hz -> 16 kHz: %,.0f ns per 10 ms (%.1f x the features), ripple %.4f dB, %s,"
              + " everything but in-band tones %.1f dB down%n",
          rate,
          ns,
          ns / features,
          sweep.rippleDb,
          Double.isFinite(sweep.aliasesDownDb)
              ? String.format("tones above 8 kHz %.1f dB down", sweep.aliasesDownDb)
              : "no input above 8 kHz",
          sweep.residualDownDb);
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("inputRate", rate);
      params.put("up", r.up());
      params.put("down", r.down());
      params.put("taps", r.taps());
      params.put("multiplyAddsPer10ms", 160L * r.taps());
      params.put("latencyMs", 1000 * r.latencySeconds());
      params.put("passbandHz", r.passbandHz());
      params.put("stopbandHz", r.stopbandHz());
      params.put("audioSecondsPerRound", audioSeconds);
      params.put("rounds", rounds);
      params.put("warmupRounds", warmup);
      params.put(
          "method",
          "median over rounds of the wall time to push the round's PCM16 noise through a fresh"
              + " stream, one thread; baseline: LogMelFeatures.push of as much 16 kHz audio");
      results.add(
          new BenchResult(
              NAME, "ns_per_10ms_audio_vs_features", ns, features, ns / features, "ns", params));
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("inputRate", rate);
      response.put("passbandHz", r.passbandHz());
      response.put("tones", sweep.tones);
      response.put("stepHz", stepHz);
      response.put("aliasesDownDb", sweep.aliasesDownDb);
      response.put("aliasWorstHz", sweep.aliasWorstHz);
      response.put("everythingButTheToneDownDb", sweep.residualDownDb);
      response.put("worstPhaseRad", sweep.worstPhase);
      results.add(
          new BenchResult(
              NAME,
              "passband_ripple_db_vs_goal",
              sweep.rippleDb,
              RIPPLE_GOAL_DB,
              sweep.rippleDb / RIPPLE_GOAL_DB,
              "dB",
              response));
      results.add(
          new BenchResult(
              NAME,
              "alias_attenuation_db_vs_goal",
              sweep.attenuationDb(),
              ATTENUATION_GOAL_DB,
              sweep.attenuationDb() / ATTENUATION_GOAL_DB,
              "dB",
              attenuationParams(rate)));
    }
    double at48 = median(resamplerNs.get(48_000));
    double at44 = median(resamplerNs.get(44_100));
    String summary =
        String.format(
            "48 kHz -> 16 kHz %.1f µs and 44.1 kHz -> 16 kHz %.1f µs per 10 ms of audio vs %.1f µs"
                + " for its log-mel features (%.1f x / %.1f x); %d rates: passband ripple within"
                + " %.4f dB, aliases and images %.1f dB down or more",
            at48 / 1000,
            at44 / 1000,
            features / 1000,
            at48 / features,
            at44 / features,
            rates.size(),
            worstRipple,
            leastAttenuation);
    BenchReport.write(options.outDir(), NAME, results, summary, System.out);
    return 0;
  }

  private static Map<String, Object> attenuationParams(int rate) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("inputRate", rate);
    params.put(
        "definition",
        "the lesser of: the output level of tones from the stopband edge to the input's Nyquist"
            + " frequency (downsampling only), and all but the tone for in-band tones, both"
            + " against the input tone");
    return params;
  }

  private double timeResampler(int rate, short[] input) {
    Resampler r = Resampler.from(rate);
    SpeechState state = new SpeechState();
    r.start(state);
    float[] out = new float[Resampler.MAX_OUTPUTS_PER_INPUT];
    double sum = 0;
    long started = System.nanoTime();
    for (short x : input) {
      if (r.push(state, x, out) > 0) {
        sum += out[0];
      }
    }
    long elapsed = System.nanoTime() - started;
    sink += sum;
    return elapsed;
  }

  private double timeFeatures(float[] input) {
    LogMelFeatures features = new LogMelFeatures(LogMelFeatures.DEFAULT_NORMALISATION);
    SpeechState state = new SpeechState();
    float[] frame = new float[LogMelFeatures.SIZE];
    double sum = 0;
    long started = System.nanoTime();
    for (float x : input) {
      if (features.push(state, x, frame)) {
        sum += frame[0];
      }
    }
    long elapsed = System.nanoTime() - started;
    sink += sum;
    return elapsed;
  }

  /** One rate's tone sweep. */
  private record Sweep(
      int tones,
      double rippleDb,
      double aliasesDownDb,
      double aliasWorstHz,
      double residualDownDb,
      double worstPhase) {
    double attenuationDb() {
      return Math.min(aliasesDownDb, residualDownDb);
    }
  }

  private Sweep sweep(Resampler r) {
    int tones = 0;
    double ripple = 0;
    double residual = Double.MAX_VALUE;
    double phase = 0;
    for (double hz = stepHz; hz <= r.passbandHz(); hz += stepHz) {
      ToneResponse t = ToneResponse.measure(r.inputRate(), hz, 0.5);
      ripple = Math.max(ripple, Math.abs(t.gainDb()));
      residual = Math.min(residual, -t.residualDb());
      phase = Math.max(phase, Math.abs(t.phase()));
      tones++;
    }
    double aliases = Double.POSITIVE_INFINITY;
    double worstHz = Double.NaN;
    for (double hz = r.stopbandHz(); hz < r.inputRate() / 2.0; hz += stepHz) {
      ToneResponse t = ToneResponse.measure(r.inputRate(), hz, 0.5);
      if (-t.outputDb() < aliases) {
        aliases = -t.outputDb();
        worstHz = hz;
      }
      tones++;
    }
    return new Sweep(tones, ripple, aliases, worstHz, residual, phase);
  }

  private static short[] noise(Random random, int samples) {
    short[] x = new short[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = (short) Math.max(-32768, Math.min(32767, Math.round(random.nextGaussian() * 6_000)));
    }
    return x;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}

package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.KeyFiles;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.SmoothingSpec;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.testkit.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --neural es-lstm}: a smoothed multi-horizon bundle from a CSV file. */
class TrainSmoothedCommandTest {

  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args).flattened();
  }

  @Test
  void esLstmWritesASignedSmoothedBundleWhoseSeasonComesFromTheData() throws Exception {
    CliRun keygen = run("model", "keygen", "--out", tmp.toString(), "--name", "release");
    assertEquals(0, keygen.exit(), keygen.err());
    Path out = tmp.resolve("co2.bundle");
    CliRun trained =
        run(
            "train",
            "--neural",
            "es-lstm",
            "--data",
            "data/co2-concentration.csv",
            "--column",
            "CO2",
            "--name",
            "co2",
            "--horizon",
            "3",
            "--epochs",
            "1",
            "--members",
            "1",
            "--hidden",
            "4",
            "--sign-key",
            tmp.resolve("release.key.pem").toString(),
            "--out",
            out.toString());
    assertEquals(0, trained.exit(), trained.err());
    assertTrue(trained.out().contains("es-lstm") && trained.out().contains("horizons 1..3"));
    assertTrue(trained.out().contains("signed by"), trained.out());
    byte[] bytes = Files.readAllBytes(out);
    TrustedKeys keys =
        TrustedKeys.of(List.of(KeyFiles.readPublicKey(tmp.resolve("release.pub.pem"))));
    ModelBundle bundle = keys.verify(bytes);
    SmoothingSpec smoothing = bundle.header().smoothing();
    assertNotNull(smoothing, "a smoothed bundle");
    assertEquals(3, smoothing.horizon());
    assertEquals(12, smoothing.season(), "monthly data: a season of 12");
    assertEquals("co2", bundle.header().name());
  }

  @Test
  void esLstmRefusesOptionsOfTheOtherForecasterAndTheOtherWayRound() {
    CliRun gru =
        run(
            "train",
            "--neural",
            "es-lstm",
            "--data",
            "data/co2-concentration.csv",
            "--cell",
            "gru");
    assertEquals(2, gru.exit());
    assertTrue(gru.err().contains("es-lstm is an LSTM"), gru.err());
    CliRun tbptt =
        run("train", "--neural", "es-lstm", "--data", "data/co2-concentration.csv", "--tbptt", "9");
    assertEquals(2, tbptt.exit());
    assertTrue(tbptt.err().contains("--tbptt"), tbptt.err());
    CliRun horizon = run("train", "--data", "data/sp500-2000.csv", "--horizon", "12");
    assertEquals(2, horizon.exit());
    assertTrue(horizon.err().contains("--neural es-lstm only"), horizon.err());
    CliRun unknown = run("train", "--neural", "esrnn", "--data", "data/sp500-2000.csv");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("one-step or es-lstm"), unknown.err());
  }
}

package dev.seqcast.cli;

import static dev.seqcast.testkit.KafkaTestSupport.produce;
import static dev.seqcast.testkit.KafkaTestSupport.readCommitted;
import static dev.seqcast.testkit.KafkaTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.Prediction;
import dev.seqcast.forecast.PredictionSerde;
import dev.seqcast.forecast.PredictorApp;
import dev.seqcast.forecast.PredictorSettings;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.model.BundleSigner;
import dev.seqcast.model.KeyFiles;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.CliRun;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust end to end on a real KRaft broker: keys made and bundles signed and published with the CLI,
 * {@code model list} and {@code model show} report each bundle's status, and a predictor given the
 * trusted key directory runs the signed model while a newer forged, unsigned or corrupt one is
 * refused and counted.
 */
class ModelTrustIT {

  private static final List<String> SERIES = List.of("alpha", "beta", "gamma");
  private static final int TICKS = 100;

  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void thePredictorRunsOnlyTheBundleItsTrustedKeySigned() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      Topics.createAll(KafkaConnection.to(bootstrap), Topics.DEFAULT_PARTITIONS, (short) 1);

      ok(run("model", "keygen", "--out", tmp.resolve("release").toString(), "--name", "release"));
      ok(run("model", "keygen", "--out", tmp.resolve("rogue").toString(), "--name", "rogue"));
      Path trusted = Files.createDirectory(tmp.resolve("trusted"));
      Files.copy(tmp.resolve("release/release.pub.pem"), trusted.resolve("release.pub.pem"));
      String releaseId = KeyFiles.keyId(KeyFiles.readPublicKey(trusted.resolve("release.pub.pem")));
      String rogueId = KeyFiles.keyId(KeyFiles.readPublicKey(tmp.resolve("rogue/rogue.pub.pem")));

      // v1 signed by the trusted key; v2 and v3 are newer and valid in themselves, so without
      // trust checks the predictor would run one of them
      Path v1 = Files.write(tmp.resolve("v1.bundle"), TestModels.bundledSp500());
      Path v2 =
          Files.write(tmp.resolve("v2.bundle"), TestModels.random("sp500", 2, 32, 9).encode());
      Path v3 =
          Files.write(tmp.resolve("v3.bundle"), TestModels.random("sp500", 3, 16, 3).encode());
      String releaseKey = tmp.resolve("release/release.key.pem").toString();
      String rogueKey = tmp.resolve("rogue/rogue.key.pem").toString();
      CliRun published = publish(bootstrap, v1, "--sign-key", releaseKey);
      assertTrue(
          published.out().contains("published sp500/1 (signed by " + releaseId), published.out());
      publish(bootstrap, v2, "--sign-key", rogueKey);
      assertTrue(publish(bootstrap, v3).out().contains("published sp500/3 (unsigned"));
      // v4: signed by the trusted key, then damaged in transit; publish would refuse the file
      byte[] damaged =
          BundleSigner.load(Path.of(releaseKey))
              .sign(TestModels.random("sp500", 4, 16, 4).encode());
      damaged[damaged.length - 120] ^= 1;
      Path v4 = Files.write(tmp.resolve("v4.bundle"), damaged);
      CliRun refused =
          run("model", "publish", "--bundle", v4.toString(), "--bootstrap-servers", bootstrap);
      assertEquals(2, refused.exit(), "a corrupt file is a usage error: " + refused.err());
      assertTrue(refused.err().contains("(bad-checksum"), refused.err());
      ModelPublisher.publish(KafkaConnection.to(bootstrap), Topics.MODELS, "sp500/4", damaged);

      Map<String, String> checked =
          statusByVersion(
              ok(
                  run(
                      "model",
                      "list",
                      "--bootstrap-servers",
                      bootstrap,
                      "--trusted-keys",
                      trusted.toString())));
      assertEquals(
          Map.of(
              "1",
              "signed by " + releaseId + ", trusted",
              "2",
              "INVALID (untrusted-key), signed by " + rogueId,
              "3",
              "INVALID (unsigned)",
              "4",
              "INVALID (bad-checksum)"),
          checked);
      CliRun plain = ok(run("model", "list", "--bootstrap-servers", bootstrap));
      assertEquals(
          Map.of(
              "1",
              "signed by " + releaseId,
              "2",
              "signed by " + rogueId,
              "3",
              "unsigned",
              "4",
              "INVALID (bad-checksum)"),
          statusByVersion(plain));
      String v1Row =
          plain.out().lines().filter(l -> l.matches("sp500\\s+1\\s.*")).findFirst().get();
      assertTrue(
          v1Row.matches(
              "sp500\\s+1\\s+lstm\\s+1x32\\s+17\\.29 \\(17\\.32\\)\\s+-\\s+2026-11-25T00:51:01Z\\s+signed by "
                  + releaseId),
          v1Row);

      CliRun shown =
          ok(
              run(
                  "model",
                  "show",
                  "sp500/1",
                  "--bootstrap-servers",
                  bootstrap,
                  "--trusted-keys",
                  trusted.toString()));
      assertTrue(
          shown.out().contains("signature: Ed25519 by key " + releaseId + ", verified"),
          shown.out());
      assertTrue(shown.out().contains("status:    valid"), shown.out());
      assertTrue(shown.out().contains("\"hiddenSize\" : 32"), shown.out());
      CliRun latest = ok(run("model", "show", "sp500", "--bootstrap-servers", bootstrap));
      assertTrue(latest.out().startsWith("sp500/4 on seqcast.models"), latest.out());
      assertTrue(latest.out().contains("INVALID (bad-checksum)"), latest.out());
      CliRun forged =
          ok(
              run(
                  "model",
                  "show",
                  "sp500/2",
                  "--bootstrap-servers",
                  bootstrap,
                  "--trusted-keys",
                  trusted.toString()));
      assertTrue(
          forged.out().contains("INVALID (untrusted-key): signed by key " + rogueId), forged.out());
      CliRun noVersion = run("model", "show", "sp500/9", "--bootstrap-servers", bootstrap);
      assertEquals(1, noVersion.exit());
      assertTrue(
          noVersion.err().contains("no version 9 of model 'sp500'")
              && noVersion.err().contains("versions there: 1, 2, 3, 4"),
          noVersion.err());
      CliRun noModel = run("model", "show", "nosuch", "--bootstrap-servers", bootstrap);
      assertEquals(1, noModel.exit());
      assertTrue(
          noModel.err().contains("no model 'nosuch'")
              && noModel.err().contains("models there: sp500 (versions 1, 2, 3, 4)"),
          noModel.err());

      List<ProducerRecord<byte[], byte[]>> ticks = new ArrayList<>();
      for (int t = 0; t < TICKS; t++) {
        for (String series : SERIES) {
          double price = 100 * Math.exp(0.01 * Math.sin(t * 0.3 + series.length()));
          ticks.add(record(Topics.TICKS, series, TickCodec.encodeValue(86_400_000L * t, price)));
        }
      }
      produce(bootstrap, ticks);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      PredictorApp.Config config =
          PredictorApp.Config.defaults(KafkaConnection.to(bootstrap), tmp.resolve("state"))
              .withPredictor(
                  PredictorSettings.defaults().withTrustedKeys(TrustedKeys.load(trusted)));
      try (StreamsApp app = PredictorApp.start(config, meters)) {
        app.awaitRunning(Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> predictions =
            readCommitted(
                bootstrap, Topics.PREDICTIONS, SERIES.size() * TICKS, Duration.ofSeconds(90));
        assertEquals(SERIES.size() * TICKS, predictions.size());
        for (ConsumerRecord<byte[], byte[]> r : predictions) {
          Prediction p = PredictionSerde.decode(r.value());
          assertEquals("sp500", p.model());
          assertEquals(1, p.modelVersion(), "only the trusted bundle runs");
        }
        assertEquals(1.0, refusals(meters, "untrusted-key"));
        assertEquals(1.0, refusals(meters, "unsigned"));
        assertEquals(1.0, refusals(meters, "bad-checksum"));
        assertEquals(0.0, refusals(meters, "bad-signature"));
        assertEquals(
            1.0, meters.get("seqcast.model.version").tag("model", "sp500").gauge().value());
      }
    }
  }

  private static CliRun publish(String bootstrap, Path bundle, String... signing) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "model",
                "publish",
                "--bundle",
                bundle.toString(),
                "--bootstrap-servers",
                bootstrap));
    args.addAll(Arrays.asList(signing));
    return ok(run(args.toArray(String[]::new)));
  }

  /** The status column of each sp500 row of {@code model list}, by version. */
  private static Map<String, String> statusByVersion(CliRun list) {
    Map<String, String> status = new TreeMap<>();
    List<String> lines = list.out().lines().toList();
    int statusAt = lines.get(0).indexOf("STATUS");
    assertTrue(statusAt > 0, list.out());
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        break; // the table ends; what runs per model follows
      }
      String[] cells = line.split("\\s+");
      assertEquals("sp500", cells[0], line);
      status.put(cells[1], line.substring(statusAt));
    }
    return status;
  }

  private static CliRun ok(CliRun run) {
    assertEquals(0, run.exit(), run.err());
    assertFalse(run.out().isEmpty());
    return run;
  }

  private static double refusals(SimpleMeterRegistry meters, String reason) {
    return meters.get("seqcast.model.refusals").tag("reason", reason).counter().count();
  }
}

package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.KeyFiles;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.testkit.CliRun;
import dev.seqcast.testkit.TestModels;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signing side of the CLI without a broker: {@code model} subcommands, {@code serve
 * --trusted-keys} and {@code train --sign-key} explain mistakes as usage errors (exit 2), a corrupt
 * bundle file among them, before contacting Kafka.
 */
class ModelCommandTest {

  /** Nothing listens here: a command that got as far as Kafka would fail differently. */
  private static final String NO_BROKER = "localhost:1";

  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args).flattened();
  }

  private static void assertUsage(CliRun run, String... expected) {
    assertEquals(2, run.exit(), run.err());
    for (String text : expected) {
      assertTrue(run.err().contains(text), "'" + text + "' in: " + run.err());
    }
  }

  @Test
  void modelWithoutASubcommandNamesTheChoices() {
    assertUsage(run("model"), "Missing model command", "keygen", "publish", "list", "show");
    assertTrue(run("model", "list", "--help").out().contains("default: 30"));
    assertTrue(run("model", "keygen", "--help").out().contains("default: seqcast"));
    assertTrue(run("model", "publish", "--help").flattened().out().contains("else localhost:9092"));
  }

  @Test
  void keygenWritesAKeyPairOnceAndNeverOverwritesIt() throws Exception {
    Path keys = tmp.resolve("keys");
    CliRun first = run("model", "keygen", "--out", keys.toString(), "--name", "release");
    assertEquals(0, first.exit(), first.err());
    Path privateKey = keys.resolve("release.key.pem");
    Path publicKey = keys.resolve("release.pub.pem");
    String keyId = KeyFiles.keyId(KeyFiles.readPublicKey(publicKey));
    assertTrue(first.out().contains("key id " + keyId), first.out());
    assertEquals(keyId, dev.seqcast.model.BundleSigner.load(privateKey).keyId());
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)));
    }

    String before = Files.readString(privateKey);
    CliRun again = run("model", "keygen", "--out", keys.toString(), "--name", "release");
    assertUsage(again, "release.key.pem already exists", "never overwritten", "--name");
    assertEquals(before, Files.readString(privateKey));

    Files.delete(privateKey);
    assertUsage(
        run("model", "keygen", "--out", keys.toString(), "--name", "release"),
        "release.pub.pem already exists");
    assertFalse(Files.exists(privateKey), "no half pair written");
  }

  @Test
  void keygenValidatesItsOptions() throws Exception {
    assertUsage(run("model", "keygen"), "--out");
    assertUsage(
        run("model", "keygen", "--out", tmp.toString(), "--name", "../x"),
        "--name may hold only letters");
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertUsage(run("model", "keygen", "--out", file.toString()), "is not a directory");
  }

  @Test
  void publishValidatesTheBundleAndKeyBeforeContactingKafka() throws Exception {
    assertUsage(run("model", "publish"), "--bundle");
    assertUsage(
        run("model", "publish", "--bundle", tmp.resolve("none.bundle").toString()),
        "none.bundle' is not a readable file");

    Path bundle = Files.write(tmp.resolve("m.bundle"), TestModels.random("m", 1, 8, 1).encode());
    run("model", "keygen", "--out", tmp.toString(), "--name", "k");
    assertUsage(
        run(
            "model",
            "publish",
            "--bundle",
            bundle.toString(),
            "--sign-key",
            tmp.resolve("k.pub.pem").toString()),
        "--sign-key:",
        "holds a 'PUBLIC KEY' block, not 'PRIVATE KEY'");
    assertUsage(
        run(
            "model",
            "publish",
            "--bundle",
            bundle.toString(),
            "--sign-key",
            tmp.resolve("nokey.pem").toString()),
        "--sign-key:",
        "no such file");

    byte[] corrupt = TestModels.random("m", 1, 8, 1).encode();
    corrupt[corrupt.length - 40] ^= 1;
    Path bad = Files.write(tmp.resolve("bad.bundle"), corrupt);
    for (String[] signing :
        new String[][] {{}, {"--sign-key", tmp.resolve("k.key.pem").toString()}}) {
      String[] args = {
        "model", "publish", "--bundle", bad.toString(), "--bootstrap-servers", NO_BROKER
      };
      CliRun run = run(concat(args, signing));
      assertUsage(run, "--bundle " + bad + " is not a valid model bundle (bad-checksum");
      assertFalse(run.err().contains("could not"), "refused before Kafka: " + run.err());
    }
    Path empty = Files.write(tmp.resolve("empty.bundle"), new byte[0]);
    assertUsage(
        run("model", "publish", "--bundle", empty.toString(), "--bootstrap-servers", NO_BROKER),
        "--bundle " + empty + " is not a valid model bundle (");
    assertUsage(
        run("model", "publish", "--bundle", tmp.toString(), "--bootstrap-servers", NO_BROKER),
        "--bundle '" + tmp + "' is not a readable file");
  }

  @Test
  void aCorruptBundleGivenToTheSpeechBacktestIsAUsageError() throws Exception {
    byte[] corrupt = TestModels.random("m", 1, 8, 1).encode();
    corrupt[corrupt.length - 40] ^= 1;
    Path bad = Files.write(tmp.resolve("bad.bundle"), corrupt);
    assertUsage(
        run("backtest", "--task", "speech", "--model", bad.toString()),
        "--model " + bad + " is not a valid model bundle (bad-checksum");
  }

  @Test
  void listAndShowValidateTheirOptions() throws Exception {
    assertUsage(run("model", "list", "--timeout", "0"), "--timeout must be at least 1");
    assertUsage(
        run("model", "list", "--trusted-keys", tmp.resolve("nope").toString()),
        "--trusted-keys:",
        "does not exist");
    assertUsage(
        run("model", "show", "sp500", "--trusted-keys", tmp.toString()),
        "--trusted-keys:",
        "holds no public key files");
    assertUsage(run("model", "show"), "NAME[/VERSION]");
    assertUsage(run("model", "show", "sp500/x"), "NAME or NAME/VERSION", "'sp500/x'");
    assertUsage(run("model", "show", "sp500/0"), "version of at least 1");
  }

  @Test
  void anUnreachableClusterIsOneLineAndExitOne() {
    CliRun run = run("model", "list", "--bootstrap-servers", NO_BROKER, "--timeout", "1");
    assertEquals(1, run.exit(), run.err());
    assertTrue(
        run.err().startsWith("seqcast model list: could not read seqcast.models from " + NO_BROKER),
        run.err());
    assertFalse(run.err().contains("caused by"), run.err());
  }

  @Test
  void serveNeedsATrustedKeyDirectoryWithPublicKeysOnly() throws Exception {
    assertUsage(
        run("serve", "--trusted-keys", tmp.resolve("nope").toString()),
        "--trusted-keys:",
        "does not exist");
    assertUsage(
        run("serve", "--trusted-keys", tmp.toString()), "--trusted-keys:", "holds no public key");
    run("model", "keygen", "--out", tmp.toString(), "--name", "k");
    assertUsage(
        run("serve", "--trusted-keys", tmp.toString()),
        "--trusted-keys:",
        "k.key.pem: holds a private key");
  }

  @Test
  void trainRefusesABadSigningKeyBeforeTraining() throws Exception {
    Path notAKey = Files.writeString(tmp.resolve("key.pem"), "not a key");
    assertUsage(
        run("train", "--data", "data/sp500-2000.csv", "--sign-key", notAKey.toString()),
        "--sign-key:",
        "not a PEM file");
  }

  @Test
  void trainSignsTheBundleItWrites() throws Exception {
    Path keys = Files.createDirectory(tmp.resolve("keys"));
    run("model", "keygen", "--out", keys.toString(), "--name", "release");
    Path trusted = Files.createDirectory(tmp.resolve("trusted"));
    Files.move(keys.resolve("release.pub.pem"), trusted.resolve("release.pub.pem"));
    Path out = tmp.resolve("signed.bundle");
    CliRun train =
        run(
            "train",
            "--data",
            "data/sp500-2000.csv",
            "--epochs",
            "1",
            "--hidden",
            "4",
            "--sign-key",
            keys.resolve("release.key.pem").toString(),
            "--out",
            out.toString());
    assertEquals(0, train.exit(), train.err());
    ModelBundle bundle = TrustedKeys.load(trusted).verify(Files.readAllBytes(out));
    assertTrue(train.out().contains("signed by " + bundle.signature().get().keyId()), train.out());
    assertEquals("2000-01-03T00:00:00Z", bundle.header().training().get("dataFrom"));
    assertEquals("2020-04-17T00:00:00Z", bundle.header().training().get("dataTo"));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}

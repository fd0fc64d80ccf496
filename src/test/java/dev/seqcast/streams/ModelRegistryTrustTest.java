package dev.seqcast.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqcast.forecast.PredictorMetrics;
import dev.seqcast.model.BundleSigner;
import dev.seqcast.model.KeyFiles;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.streams.ModelRegistry.Outcome;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A registry with trusted keys runs only bundles signed by one of them; each refusal leaves the
 * running model in place and is counted under its reason.
 */
class ModelRegistryTrustTest {

  private static final KeyPair RELEASE = KeyFiles.generate();
  private static final KeyPair ROGUE = KeyFiles.generate();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final PredictorMetrics metrics = new PredictorMetrics(meters);
  private final ModelRegistry.Listener listener =
      new ModelRegistry.Listener() {
        @Override
        public void refused(String source, String reason, String detail) {
          metrics.modelRefused(reason);
        }

        @Override
        public void live(RecurrentModel model, String why) {
          metrics.modelSwapped(model.name(), model.version());
        }
      };
  private final BundleSigner release = BundleSigner.of(RELEASE.getPrivate());
  private final BundleSigner rogue = BundleSigner.of(ROGUE.getPrivate());

  @Test
  void eachRefusalKeepsTheRunningModelAndCountsItsReason() throws Exception {
    ModelRegistry registry =
        new ModelRegistry(1, listener, TrustedKeys.of(List.of(RELEASE.getPublic())));
    assertEquals(Outcome.ACCEPTED, registry.offer("m/1", signed(release, 1)));

    assertEquals(Outcome.REFUSED, registry.offer("m/2", signed(rogue, 2)));
    assertRunning(registry, 1);
    assertEquals(Outcome.REFUSED, registry.offer("m/3", unsigned(3)));
    assertRunning(registry, 1);
    byte[] badSignature = signed(release, 4);
    badSignature[badSignature.length - 1] ^= 1;
    assertEquals(Outcome.REFUSED, registry.offer("m/4", badSignature));
    assertRunning(registry, 1);
    byte[] corrupt = signed(release, 5);
    corrupt[corrupt.length - 120] ^= 1; // a weight: the checksum catches it first
    assertEquals(Outcome.REFUSED, registry.offer("m/5", corrupt));
    assertRunning(registry, 1);

    assertEquals(1.0, refusals("untrusted-key"));
    assertEquals(1.0, refusals("unsigned"));
    assertEquals(1.0, refusals("bad-signature"));
    assertEquals(1.0, refusals("bad-checksum"));

    assertEquals(Outcome.ACCEPTED, registry.offer("m/6", signed(release, 6)));
    assertRunning(registry, 6);
  }

  @Test
  void withoutTrustedKeysSignedAndUnsignedBundlesAreBothUsed() throws Exception {
    ModelRegistry registry = new ModelRegistry(1, listener);
    assertEquals(Outcome.ACCEPTED, registry.offer("m/1", unsigned(1)));
    assertEquals(Outcome.ACCEPTED, registry.offer("m/2", signed(rogue, 2)));
    assertRunning(registry, 2);
    assertEquals(0.0, refusals("untrusted-key") + refusals("unsigned"));
  }

  @Test
  void aRefusedBundleOfferedAgainIsCountedOnce() throws Exception {
    ModelRegistry registry =
        new ModelRegistry(1, listener, TrustedKeys.of(List.of(RELEASE.getPublic())));
    byte[] forged = signed(rogue, 2);
    assertEquals(Outcome.REFUSED, registry.offer("m/2", forged));
    // start-up: restoration replays the topic, then the store is offered again
    assertEquals(Outcome.IGNORED, registry.offer("m/2", forged));
    assertEquals(1.0, refusals("untrusted-key"));
    // other bytes under the same key are judged afresh
    assertEquals(Outcome.REFUSED, registry.offer("m/2", unsigned(2)));
    assertEquals(1.0, refusals("unsigned"));
    assertEquals(Outcome.ACCEPTED, registry.offer("m/2", signed(release, 2)));
  }

  private static byte[] unsigned(long version) {
    return TestModels.random("m", version, 8, version).encode();
  }

  private static byte[] signed(BundleSigner signer, long version) throws Exception {
    return signer.sign(unsigned(version));
  }

  private static void assertRunning(ModelRegistry registry, long version) {
    assertEquals(version, registry.current("m").version());
  }

  private double refusals(String reason) {
    return meters.get("seqcast.model.refusals").tag("reason", reason).counter().count();
  }
}

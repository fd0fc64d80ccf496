package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.testkit.TestModels;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signed bundles: the format 2 envelope keeps the unsigned content byte for byte, and every kind of
 * tampering is refused with its own reason.
 */
class BundleSigningTest {

  private static final KeyPair RELEASE = KeyFiles.generate();
  private static final KeyPair ROGUE = KeyFiles.generate();

  private final ModelBundle bundle = TestModels.random("sp500", 3, 8, 1);
  private final BundleSigner signer = BundleSigner.of(RELEASE.getPrivate());
  private final TrustedKeys trusted = TrustedKeys.of(List.of(RELEASE.getPublic()));

  @Test
  void aSignedBundleVerifiesAndDecodesToTheSameModel() throws Exception {
    byte[] signed = signer.sign(bundle.encode());
    ModelBundle verified = trusted.verify(signed);
    assertEquals(bundle.header(), verified.header());
    assertArrayEquals(bundle.weights(), verified.weights());
    assertEquals(KeyFiles.keyId(RELEASE.getPublic()), verified.signature().orElseThrow().keyId());
    assertEquals(signer.keyId(), ModelBundle.decode(signed).signature().orElseThrow().keyId());
  }

  @Test
  void signingKeepsTheUnsignedContentAndAppendsOneBlock() throws Exception {
    byte[] unsigned = bundle.encode();
    byte[] signed = signer.sign(unsigned);
    int digestAt = unsigned.length - 32;
    assertArrayEquals(Arrays.copyOf(unsigned, 4), Arrays.copyOf(signed, 4));
    assertEquals(2, ByteBuffer.wrap(signed).getShort(4));
    assertArrayEquals(
        Arrays.copyOfRange(unsigned, 6, digestAt), Arrays.copyOfRange(signed, 6, digestAt));
    assertArrayEquals(
        ModelBundle.sha256(signed, digestAt), Arrays.copyOfRange(signed, digestAt, digestAt + 32));
    ByteBuffer block = ByteBuffer.wrap(signed, digestAt + 32, signed.length - digestAt - 32);
    assertEquals(16, block.getShort());
    byte[] keyId = new byte[16];
    block.get(keyId);
    assertEquals(signer.keyId(), new String(keyId, StandardCharsets.UTF_8));
    assertEquals(64, block.getShort());
    assertEquals(64, block.remaining());
    assertEquals(signed.length - 64, ModelBundle.decode(signed).signature().get().signedLength());
  }

  @Test
  void aFlippedWeightByteOfASignedBundleFailsTheChecksum() throws Exception {
    byte[] signed = signer.sign(bundle.encode());
    int digestAt = bundle.encode().length - 32;
    signed[digestAt - 5] ^= 1;
    assertReason(BundleException.Reason.BAD_CHECKSUM, signed);
  }

  @Test
  void everyFlippedSignatureByteIsABadSignature() throws Exception {
    byte[] signed = signer.sign(bundle.encode());
    for (int at = signed.length - 64; at < signed.length; at++) {
      byte[] tampered = signed.clone();
      tampered[at] ^= 0x10;
      assertReason(BundleException.Reason.BAD_SIGNATURE, tampered);
    }
  }

  @Test
  void editedWeightsUnderARecomputedChecksumAreABadSignature() throws Exception {
    byte[] signed = signer.sign(bundle.encode());
    int digestAt = bundle.encode().length - 32;
    ByteBuffer.wrap(signed).putFloat(digestAt - 4, 0.5f);
    System.arraycopy(ModelBundle.sha256(signed, digestAt), 0, signed, digestAt, 32);
    ModelBundle.decode(signed); // structurally valid: only the signature can tell
    assertReason(BundleException.Reason.BAD_SIGNATURE, signed);
  }

  @Test
  void aValidBundleSignedByAnUnknownKeyIsUntrusted() throws Exception {
    byte[] forged = BundleSigner.of(ROGUE.getPrivate()).sign(bundle.encode());
    ModelBundle.decode(forged); // valid in itself
    BundleException e = assertReason(BundleException.Reason.UNTRUSTED_KEY, forged);
    assertTrue(e.getMessage().contains(KeyFiles.keyId(ROGUE.getPublic())), e.getMessage());
  }

  @Test
  void aKeyIdEditedToATrustedOnesIsABadSignature() throws Exception {
    byte[] forged = BundleSigner.of(ROGUE.getPrivate()).sign(bundle.encode());
    int keyIdAt = bundle.encode().length + 2;
    byte[] trustedId = signer.keyId().getBytes(StandardCharsets.UTF_8);
    System.arraycopy(trustedId, 0, forged, keyIdAt, trustedId.length);
    assertReason(BundleException.Reason.BAD_SIGNATURE, forged);
  }

  @Test
  void anUnsignedBundleIsRefusedOnlyWhenKeysAreTrusted() throws Exception {
    byte[] unsigned = bundle.encode();
    ModelBundle.decode(unsigned);
    assertReason(BundleException.Reason.UNSIGNED, unsigned);
  }

  @Test
  void resigningReplacesTheSignature() throws Exception {
    byte[] once = BundleSigner.of(ROGUE.getPrivate()).sign(bundle.encode());
    byte[] twice = signer.sign(once);
    assertEquals(once.length, twice.length);
    assertEquals(bundle.header(), trusted.verify(twice).header());
  }

  @Test
  void aCorruptBundleIsRefusedInsteadOfSigned() {
    byte[] corrupt = bundle.encode();
    corrupt[corrupt.length - 40] ^= 1;
    BundleException e = assertThrows(BundleException.class, () -> signer.sign(corrupt));
    assertEquals(BundleException.Reason.BAD_CHECKSUM, e.reason());
  }

  @Test
  void everyTruncationOfASignedBundleIsRefused() throws Exception {
    byte[] signed = signer.sign(bundle.encode());
    for (int length = 0; length < signed.length; length++) {
      byte[] cut = Arrays.copyOf(signed, length);
      BundleException e = assertThrows(BundleException.class, () -> ModelBundle.decode(cut));
      assertEquals(BundleException.Reason.TRUNCATED, e.reason(), "length " + length);
    }
    byte[] extra = Arrays.copyOf(signed, signed.length + 1);
    assertReason(BundleException.Reason.TRUNCATED, extra);
  }

  @Test
  void anEmptyKeyIdIsABadSignature() throws Exception {
    byte[] signed = signer.sign(bundle.encode());
    int blockAt = bundle.encode().length;
    ByteBuffer emptyId = ByteBuffer.allocate(blockAt + 2 + 2 + 64);
    emptyId.put(signed, 0, blockAt).putShort((short) 0).putShort((short) 64);
    emptyId.put(signed, signed.length - 64, 64);
    BundleException e =
        assertThrows(BundleException.class, () -> ModelBundle.decode(emptyId.array()));
    assertEquals(BundleException.Reason.BAD_SIGNATURE, e.reason());
  }

  @Test
  void keyIdsAreSixteenHexCharactersOfTheKeysFingerprint() {
    String id = KeyFiles.keyId(RELEASE.getPublic());
    assertTrue(id.matches("[0-9a-f]{16}"), id);
    assertEquals(id, signer.keyId(), "derived from the private key alone");
    assertNotEquals(id, KeyFiles.keyId(ROGUE.getPublic()));
    assertEquals(List.of(id), List.copyOf(trusted.keyIds()));
  }

  private BundleException assertReason(BundleException.Reason expected, byte[] bytes) {
    BundleException e = assertThrows(BundleException.class, () -> trusted.verify(bytes));
    assertEquals(expected, e.reason(), e.getMessage());
    return e;
  }
}

package dev.seqcast.model;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Signs model bundles with one Ed25519 private key, producing the format 2 envelope described in
 * {@link ModelBundle} and {@code docs/model-bundle.md}. Immutable; {@link #sign} may be called from
 * any thread.
 */
public final class BundleSigner {

  /** Bytes of an Ed25519 signature. */
  static final int SIGNATURE_BYTES = 64;

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String keyId;

  private BundleSigner(PrivateKey privateKey) {
    this.privateKey = privateKey;
    this.publicKey = KeyFiles.publicKeyOf(privateKey);
    this.keyId = KeyFiles.keyId(publicKey);
  }

  /** A signer with the private key in {@code pem} (see {@link KeyFiles#readPrivateKey}). */
  public static BundleSigner load(Path pem) throws KeyFileException {
    return new BundleSigner(KeyFiles.readPrivateKey(pem));
  }

  /** A signer with an Ed25519 private key. */
  public static BundleSigner of(PrivateKey privateKey) {
    return new BundleSigner(privateKey);
  }

  /** The id of this signer's key, as signed bundles and {@link TrustedKeys} name it. */
  public String keyId() {
    return keyId;
  }

  /** The public half of the key, what verifiers need. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /**
   * The signed envelope of {@code bundle}. The bytes are validated first, so a corrupt bundle is
   * refused rather than signed; a bundle already signed gets this key's signature instead.
   */
  public byte[] sign(byte[] bundle) throws BundleException {
    ModelBundle.decode(bundle);
    return ModelBundle.signed(bundle, keyId, SIGNATURE_BYTES, this::ed25519);
  }

  private byte[] ed25519(byte[] message) {
    try {
      Signature signature = Signature.getInstance(KeyFiles.ALGORITHM);
      signature.initSign(privateKey);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }
}

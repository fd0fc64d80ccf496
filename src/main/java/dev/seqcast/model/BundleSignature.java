package dev.seqcast.model;

/**
 * The signature block of a signed (format 2) bundle, as read from the envelope: who claims to have
 * signed it and the signature bytes. Reading it checks only its structure; {@link TrustedKeys}
 * decides whether it verifies and whether its key is trusted. Immutable.
 */
public final class BundleSignature {

  private final String keyId;
  private final byte[] signature;
  private final int signedLength;

  BundleSignature(String keyId, byte[] signature, int signedLength) {
    this.keyId = keyId;
    this.signature = signature.clone();
    this.signedLength = signedLength;
  }

  /** The id of the signing key: a fingerprint of its public key (see {@link KeyFiles#keyId}). */
  public String keyId() {
    return keyId;
  }

  /** A copy of the raw signature bytes (64 for Ed25519). */
  public byte[] signature() {
    return signature.clone();
  }

  /** How many leading bytes of the bundle the signature covers: all bytes before it. */
  public int signedLength() {
    return signedLength;
  }

  @Override
  public String toString() {
    return "signed by "
        + keyId
        + " ("
        + signature.length
        + "-byte signature over "
        + signedLength
        + " bytes)";
  }
}

package dev.seqcast.model;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Ed25519 public keys whose signatures a predictor accepts. With trusted keys configured, only
 * bundles signed by one of them are used: {@link #verify} refuses an unsigned bundle ({@code
 * unsigned}), one signed by another key ({@code untrusted-key}) and one whose signature does not
 * verify ({@code bad-signature}). Immutable, thread-safe.
 */
public final class TrustedKeys {

  private final Map<String, PublicKey> byId;
  private final String source; // where the keys were loaded from, or null

  private TrustedKeys(Map<String, PublicKey> byId, String source) {
    this.byId = Map.copyOf(byId);
    this.source = source;
  }

  /**
   * The public keys in the {@code *.pem} files of {@code dir} (not its subdirectories). Every such
   * file must hold an Ed25519 public key and there must be at least one: a key directory that
   * cannot be read as intended is an error, never a silently smaller set of keys.
   */
  public static TrustedKeys load(Path dir) throws KeyFileException {
    if (!Files.isDirectory(dir)) {
      throw new KeyFileException(
          dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> pems = Files.newDirectoryStream(dir, "*.pem")) {
      pems.forEach(files::add);
    } catch (IOException e) {
      throw new KeyFileException(dir + ": cannot list (" + e + ")");
    }
    Map<String, PublicKey> keys = new TreeMap<>();
    for (Path file : files) {
      if (Files.isRegularFile(file)) {
        PublicKey key = KeyFiles.readPublicKey(file);
        keys.put(KeyFiles.keyId(key), key);
      }
    }
    if (keys.isEmpty()) {
      throw new KeyFileException(
          dir
              + " holds no public key files (*.pem); copy the NAME.pub.pem of each signing key"
              + " there");
    }
    return new TrustedKeys(keys, dir.toString());
  }

  /** A set of at least one key. */
  public static TrustedKeys of(Collection<PublicKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("trusted keys need at least one key");
    }
    Map<String, PublicKey> byId = new TreeMap<>();
    keys.forEach(key -> byId.put(KeyFiles.keyId(key), key));
    return new TrustedKeys(byId, null);
  }

  /** The ids of the trusted keys, sorted. */
  public Set<String> keyIds() {
    return new TreeSet<>(byId.keySet());
  }

  /**
   * Decodes {@code bytes} as {@link ModelBundle#decode} does (so corruption is reported as such,
   * for example {@code bad-checksum}) and then requires a signature by a trusted key that verifies
   * over every byte before it.
   */
  public ModelBundle verify(byte[] bytes) throws BundleException {
    ModelBundle bundle = ModelBundle.decode(bytes);
    BundleSignature signature =
        bundle
            .signature()
            .orElseThrow(
                () ->
                    new BundleException(
                        BundleException.Reason.UNSIGNED,
                        "bundle is unsigned, and only bundles signed by one of the "
                            + this
                            + " are used"));
    PublicKey key = byId.get(signature.keyId());
    if (key == null) {
      throw new BundleException(
          BundleException.Reason.UNTRUSTED_KEY,
          "signed by key " + signature.keyId() + ", which is not one of the " + this);
    }
    if (!verifies(key, bytes, signature)) {
      throw new BundleException(
          BundleException.Reason.BAD_SIGNATURE,
          "Ed25519 signature by key " + signature.keyId() + " does not verify");
    }
    return bundle;
  }

  private static boolean verifies(PublicKey key, byte[] bytes, BundleSignature signature) {
    try {
      Signature verifier = Signature.getInstance(KeyFiles.ALGORITHM);
      verifier.initVerify(key);
      verifier.update(bytes, 0, signature.signedLength());
      return verifier.verify(signature.signature());
    } catch (java.security.SignatureException e) {
      return false; // malformed signature bytes, e.g. the wrong length
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 verification unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "trusted keys " + keyIds() + (source == null ? "" : " from " + source);
  }
}

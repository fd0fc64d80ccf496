package dev.seqcast.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys in PEM files, the form {@code openssl genpkey -algorithm ed25519} writes: a private
 * key as unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), a public key as X.509
 * SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}). Also the key id that names a public
 * key in signed bundles. Uses only the JDK's own {@code Ed25519} provider. Thread-safe.
 */
public final class KeyFiles {

  /** The JCA name of the one signature algorithm bundles use. */
  public static final String ALGORITHM = "Ed25519";

  /** PEM label of a private key. */
  static final String PRIVATE_LABEL = "PRIVATE KEY";

  /** PEM label of a public key. */
  static final String PUBLIC_LABEL = "PUBLIC KEY";

  /** Hex characters of a key id. */
  static final int KEY_ID_HEX = 16;

  private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
  private static final List<String> OTHER_ALGORITHMS =
      List.of("RSA", "EC", "Ed448", "X25519", "DSA");

  private KeyFiles() {}

  /** A fresh Ed25519 key pair from the JDK's default strong randomness. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Ed25519 is required by every JDK since 15", e);
    }
  }

  /**
   * The key id of {@code key}: the first 16 hex characters (64 bits) of the SHA-256 of its X.509
   * SubjectPublicKeyInfo encoding, the bytes inside a {@code PUBLIC KEY} PEM block.
   */
  public static String keyId(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(digest).substring(0, KEY_ID_HEX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  /** Reads an Ed25519 public key from a {@code -----BEGIN PUBLIC KEY-----} PEM file. */
  public static PublicKey readPublicKey(Path file) throws KeyFileException {
    byte[] der = pemBody(file, PUBLIC_LABEL);
    return parse(file, der, X509EncodedKeySpec::new, KeyFactory::generatePublic, "public");
  }

  /** Reads an Ed25519 private key from an unencrypted {@code -----BEGIN PRIVATE KEY-----} file. */
  public static PrivateKey readPrivateKey(Path file) throws KeyFileException {
    byte[] der = pemBody(file, PRIVATE_LABEL);
    return parse(file, der, PKCS8EncodedKeySpec::new, KeyFactory::generatePrivate, "private");
  }

  /**
   * Writes {@code pair} as two new PEM files; neither may exist yet. Where the file system is POSIX
   * the private key file is created readable and writable by its owner only (600), so it is never
   * readable by others, not even briefly.
   */
  public static void write(KeyPair pair, Path privateFile, Path publicFile) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] ownerOnly =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    Files.createFile(privateFile, ownerOnly);
    try {
      Files.createFile(publicFile);
    } catch (IOException e) {
      Files.delete(privateFile);
      throw e;
    }
    Files.writeString(privateFile, pem(PRIVATE_LABEL, pair.getPrivate().getEncoded()));
    Files.writeString(publicFile, pem(PUBLIC_LABEL, pair.getPublic().getEncoded()));
  }

  /**
   * The public half of an Ed25519 private key. The JDK has no call for this, but its key pair
   * generator derives the public key from the 32 random bytes it draws as the private key; given
   * exactly those bytes it derives ours. The result is checked by a signature round trip.
   */
  public static PublicKey publicKeyOf(PrivateKey key) {
    if (!(key instanceof EdECPrivateKey edKey) || edKey.getBytes().isEmpty()) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + key.getAlgorithm());
    }
    byte[] seed = edKey.getBytes().get();
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
      PublicKey derived = generator.generateKeyPair().getPublic();
      byte[] probe = "seqcast key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(derived);
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalStateException(
            "this JDK's Ed25519 key pair generator did not derive the public key of a given"
                + " private key");
      }
      return derived;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive an Ed25519 public key", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** Randomness that yields the given bytes, to make the key pair generator derive from them. */
  private static final class FixedBytes extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient byte[] bytes;

    FixedBytes(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public void nextBytes(byte[] out) {
      if (out.length != bytes.length) {
        throw new IllegalStateException(
            "key pair generator asked for " + out.length + " bytes, not " + bytes.length);
      }
      System.arraycopy(bytes, 0, out, 0, out.length);
    }
  }

  static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] pemBody(Path file, String label) throws KeyFileException {
    String text;
    try {
      // ISO-8859-1 maps every byte, so a binary file is reported as "not PEM", not as an I/O error
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(file + ": no such file");
    } catch (IOException e) {
      throw new KeyFileException(file + ": cannot read (" + e + ")");
    }
    Matcher begin = BEGIN.matcher(text);
    if (!begin.find()) {
      throw new KeyFileException(
          file + ": not a PEM file (no '-----BEGIN " + label + "-----' line); " + expected(label));
    }
    String found = begin.group(1);
    if (!found.equals(label)) {
      throw new KeyFileException(file + ": " + wrongKind(found, label));
    }
    String end = "-----END " + label + "-----";
    int endAt = text.indexOf(end, begin.end());
    if (endAt < 0) {
      throw new KeyFileException(file + ": no '" + end + "' line after the BEGIN line");
    }
    try {
      return Base64.getDecoder().decode(text.substring(begin.end(), endAt).replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(
          file + ": the PEM body is not valid base64 (" + e.getMessage() + ")");
    }
  }

  private static String expected(String label) {
    return label.equals(PUBLIC_LABEL)
        ? "expected an Ed25519 public key such as the NAME.pub.pem that 'seqcast model keygen'"
            + " writes"
        : "expected an unencrypted Ed25519 private key such as the NAME.key.pem that 'seqcast"
            + " model keygen' writes, or one from 'openssl genpkey -algorithm ed25519'";
  }

  private static String wrongKind(String found, String label) {
    if (found.equals("ENCRYPTED PRIVATE KEY")) {
      return "holds an encrypted private key; decrypt it first, e.g. 'openssl pkey -in KEY.pem"
          + " -out plain.key.pem'";
    }
    if (label.equals(PUBLIC_LABEL) && found.contains("PRIVATE KEY")) {
      return "holds a private key ('"
          + found
          + "'), not a public key; "
          + expected(label)
          + ", and keep private keys away from the predictors";
    }
    return "holds a '" + found + "' block, not '" + label + "'; " + expected(label);
  }

  private interface Generator<K> {
    K generate(KeyFactory factory, KeySpec spec) throws InvalidKeySpecException;
  }

  private static <K> K parse(
      Path file, byte[] der, Function<byte[], KeySpec> spec, Generator<K> generator, String kind)
      throws KeyFileException {
    try {
      return generator.generate(KeyFactory.getInstance(ALGORITHM), spec.apply(der));
    } catch (InvalidKeySpecException e) {
      for (String other : OTHER_ALGORITHMS) {
        try {
          generator.generate(KeyFactory.getInstance(other), spec.apply(der));
          return fail(
              file,
              "holds a "
                  + kind
                  + " key of type "
                  + other
                  + ", not Ed25519; bundles are signed with Ed25519 keys ('seqcast model"
                  + " keygen' or 'openssl genpkey -algorithm ed25519')");
        } catch (GeneralSecurityException | RuntimeException notThisOne) {
          // try the next algorithm
        }
      }
      return fail(file, "not a valid Ed25519 " + kind + " key (" + e.getMessage() + ")");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Ed25519 is required by every JDK since 15", e);
    }
  }

  private static <K> K fail(Path file, String problem) throws KeyFileException {
    throw new KeyFileException(file + ": " + problem);
  }
}

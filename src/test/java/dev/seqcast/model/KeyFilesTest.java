package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.testkit.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM key files: round trips, clear errors, and interoperability with OpenSSL's Ed25519 keys. */
class KeyFilesTest {

  @TempDir Path dir;

  @Test
  void writtenKeysReadBackAndTheSignerDerivesTheSameKeyId() throws Exception {
    KeyPair pair = KeyFiles.generate();
    Path key = dir.resolve("release.key.pem");
    Path pub = dir.resolve("release.pub.pem");
    KeyFiles.write(pair, key, pub);
    assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"));
    assertArrayEquals(pair.getPublic().getEncoded(), KeyFiles.readPublicKey(pub).getEncoded());
    assertArrayEquals(pair.getPrivate().getEncoded(), KeyFiles.readPrivateKey(key).getEncoded());
    assertEquals(KeyFiles.keyId(pair.getPublic()), BundleSigner.load(key).keyId());
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }
  }

  @Test
  void existingKeyFilesAreNeverOverwritten() throws Exception {
    Path key = dir.resolve("a.key.pem");
    Path pub = dir.resolve("a.pub.pem");
    Files.writeString(pub, "keep me");
    assertThrows(
        FileAlreadyExistsException.class, () -> KeyFiles.write(KeyFiles.generate(), key, pub));
    assertEquals("keep me", Files.readString(pub));
    assertTrue(Files.notExists(key), "no private key left behind");
  }

  @Test
  void aPublicKeyWhereAPrivateOneBelongsIsExplained() throws Exception {
    Path pub = dir.resolve("a.pub.pem");
    Files.writeString(
        pub, KeyFiles.pem("PUBLIC KEY", KeyFiles.generate().getPublic().getEncoded()));
    assertProblem("holds a 'PUBLIC KEY' block, not 'PRIVATE KEY'", () -> BundleSigner.load(pub));
  }

  @Test
  void aPrivateKeyWhereAPublicOneBelongsIsExplained() throws Exception {
    Path key = dir.resolve("a.key.pem");
    Files.writeString(
        key, KeyFiles.pem("PRIVATE KEY", KeyFiles.generate().getPrivate().getEncoded()));
    assertProblem("holds a private key", () -> KeyFiles.readPublicKey(key));
  }

  @Test
  void malformedFilesAreExplained() throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertProblem("no such file", () -> KeyFiles.readPublicKey(missing));
    Path text = write("notes.pem", "hello\n");
    assertProblem("not a PEM file", () -> KeyFiles.readPublicKey(text));
    Path noEnd = write("noend.pem", "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n");
    assertProblem("no '-----END PUBLIC KEY-----' line", () -> KeyFiles.readPublicKey(noEnd));
    Path badBase64 =
        write(
            "b64.pem", "-----BEGIN PUBLIC KEY-----\nMCow*QYDK2VwAyEA\n-----END PUBLIC KEY-----\n");
    assertProblem("not valid base64", () -> KeyFiles.readPublicKey(badBase64));
    Path shortKey =
        write(
            "short.pem",
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n");
    assertProblem("not a valid Ed25519 public key", () -> KeyFiles.readPublicKey(shortKey));
    Path encrypted =
        write(
            "enc.pem",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
    assertProblem("encrypted private key", () -> KeyFiles.readPrivateKey(encrypted));
  }

  @Test
  void anRsaKeyIsNamedAsSuch() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair pair = rsa.generateKeyPair();
    Path pub = write("rsa.pub.pem", KeyFiles.pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    assertProblem("public key of type RSA, not Ed25519", () -> KeyFiles.readPublicKey(pub));
    Path key = write("rsa.key.pem", KeyFiles.pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    assertProblem("private key of type RSA, not Ed25519", () -> BundleSigner.load(key));
  }

  @Test
  void aTrustedKeyDirectoryMustHoldOnlyPublicKeysAndAtLeastOne() throws Exception {
    assertProblem("does not exist", () -> TrustedKeys.load(dir.resolve("nope")));
    assertProblem("holds no public key files", () -> TrustedKeys.load(dir));
    KeyPair pair = KeyFiles.generate();
    KeyFiles.write(pair, dir.resolve("k.key.pem"), dir.resolve("k.pub.pem"));
    assertProblem("k.key.pem: holds a private key", () -> TrustedKeys.load(dir));
    Files.delete(dir.resolve("k.key.pem"));
    Files.writeString(dir.resolve("README"), "not a key, not *.pem: ignored");
    assertEquals(
        List.of(KeyFiles.keyId(pair.getPublic())), List.copyOf(TrustedKeys.load(dir).keyIds()));
  }

  @Test
  void opensslKeysSignAndVerifyAndOpensslVerifiesOurSignatures() throws Exception {
    Assumptions.assumeTrue(opensslAvailable(), "openssl is not installed");
    // an OpenSSL key pair signs for us
    Path key = dir.resolve("ossl.key.pem");
    openssl("genpkey", "-algorithm", "ed25519", "-out", key.toString());
    Path trustedDir = Files.createDirectory(dir.resolve("trusted"));
    Path pub = trustedDir.resolve("ossl.pub.pem");
    openssl("pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
    BundleSigner signer = BundleSigner.load(key);
    assertEquals(KeyFiles.keyId(KeyFiles.readPublicKey(pub)), signer.keyId());
    ModelBundle bundle = TestModels.random("sp500", 2, 8, 4);
    byte[] signed = signer.sign(bundle.encode());
    assertEquals(bundle.header(), TrustedKeys.load(trustedDir).verify(signed).header());

    // our key pair is one OpenSSL reads, and OpenSSL verifies our bundle signature
    KeyPair ours = KeyFiles.generate();
    Path ourKey = dir.resolve("ours.key.pem");
    Path ourPub = dir.resolve("ours.pub.pem");
    KeyFiles.write(ours, ourKey, ourPub);
    Path derived = dir.resolve("derived.pub.pem");
    openssl("pkey", "-in", ourKey.toString(), "-pubout", "-out", derived.toString());
    assertEquals(Files.readString(ourPub), Files.readString(derived));
    byte[] oursSigned = BundleSigner.load(ourKey).sign(bundle.encode());
    Path message = dir.resolve("signed-part");
    Path signature = dir.resolve("signature");
    Files.write(message, Arrays.copyOf(oursSigned, oursSigned.length - 64));
    Files.write(
        signature, Arrays.copyOfRange(oursSigned, oursSigned.length - 64, oursSigned.length));
    String out =
        openssl(
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            ourPub.toString(),
            "-rawin",
            "-in",
            message.toString(),
            "-sigfile",
            signature.toString());
    assertTrue(out.contains("Signature Verified Successfully"), out);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
  }

  private interface KeyAction {
    void run() throws Exception;
  }

  private static void assertProblem(String expected, KeyAction action) {
    KeyFileException e = assertThrows(KeyFileException.class, action::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static boolean opensslAvailable() {
    try {
      return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }
}

package dev.seqcast.streams;

import dev.seqcast.model.BundleException;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.streams.ModelCatalog.StoredBundle;

/**
 * A bundle from the models topic as {@code model list} and {@code model show} report it: decoded
 * where possible, and refused for the same reasons a predictor with the same trusted keys would
 * refuse it on the bundle's own account (its checksum, structure and signature; the predictor's own
 * checks, such as the feature count or a version older than the running one, are not made).
 *
 * @param stored the record
 * @param bundle the decoded bundle, or null when the bytes do not decode
 * @param refusal why the bundle would be refused, or null when it is valid
 * @param trusted the trusted keys it was checked against, or null for none
 */
public record StoredBundleView(
    StoredBundle stored, ModelBundle bundle, BundleException refusal, TrustedKeys trusted) {

  /** Decodes and, given trusted keys, verifies {@code stored}. */
  public static StoredBundleView of(StoredBundle stored, TrustedKeys trusted) {
    ModelBundle bundle = null;
    BundleException refusal = null;
    try {
      bundle = ModelBundle.decode(stored.value());
      if (trusted != null) {
        trusted.verify(stored.value());
      }
    } catch (BundleException e) {
      refusal = e;
    }
    return new StoredBundleView(stored, bundle, refusal, trusted);
  }

  /** The model name, from the header when it decodes, else from the record key. */
  public String name() {
    return bundle != null ? bundle.header().name() : stored.keyName();
  }

  /** The version, from the header when it decodes, else from the record key ("?" if none). */
  public String version() {
    if (bundle != null) {
      return Long.toString(bundle.header().version());
    }
    return stored.keyVersion() < 0 ? "?" : Long.toString(stored.keyVersion());
  }

  /**
   * One phrase for the signature and validity: {@code unsigned}, {@code signed by <key id>} (with
   * {@code , trusted} when verified against trusted keys), or {@code INVALID (<reason>)} followed
   * by the signature where the bundle decodes and the reason does not already say it.
   */
  public String status() {
    String signature =
        bundle == null
            ? null
            : bundle
                .signature()
                .map(
                    s ->
                        "signed by "
                            + s.keyId()
                            + (trusted != null && refusal == null ? ", trusted" : ""))
                .orElse("unsigned");
    if (refusal == null) {
      return signature;
    }
    String invalid = "INVALID (" + refusal.reason().code() + ")";
    boolean saysAll = signature == null || refusal.reason() == BundleException.Reason.UNSIGNED;
    return saysAll ? invalid : invalid + ", " + signature;
  }
}

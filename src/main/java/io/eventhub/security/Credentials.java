package io.eventhub.security;

import io.eventhub.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The API's clients, read from {@code hub.security.clients} and {@code
 * hub.security.tokens.<client>.*}. Only SHA-256 digests of the tokens are kept; a presented token
 * is hashed and compared with every digest in constant time, so neither the answer nor its timing
 * tells how close a guess was.
 */
public final class Credentials {

  public static final String CLIENTS = "hub.security.clients";
  private static final String PREFIX = "hub.security.tokens.";

  private final List<Credential> all;

  public Credentials(List<Credential> all) {
    this.all = List.copyOf(all);
  }

  /**
   * Reads every listed client. A client without a token (plain or as SHA-256 digest) stops the
   * start, naming the key.
   */
  public static Credentials read(Settings settings) {
    List<Credential> all = new ArrayList<>();
    for (String client : settings.list(CLIENTS)) {
      String key = PREFIX + client;
      List<byte[]> digests = new ArrayList<>();
      for (String token : settings.list(key + ".token")) {
        digests.add(sha256(token));
      }
      for (String hex : settings.list(key + ".token-sha256")) {
        digests.add(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
      }
      if (digests.isEmpty()) {
        throw Settings.missing(
            key + ".token",
            " (or its SHA-256 digest as "
                + key
                + ".token-sha256): client "
                + client
                + " is listed in "
                + CLIENTS
                + " but has no token");
      }
      all.add(
          new Credential(
              client,
              digests,
              new LinkedHashSet<>(settings.list(key + ".publish")),
              new LinkedHashSet<>(settings.list(key + ".reads")),
              settings.list(key + ".roles").contains(Credential.ADMIN)));
    }
    return new Credentials(all);
  }

  public boolean isEmpty() {
    return all.isEmpty();
  }

  public List<Credential> all() {
    return all;
  }

  /** The client whose token this is; every digest is compared, whatever matched before. */
  public Optional<Credential> byToken(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    byte[] presented = sha256(token);
    Credential found = null;
    for (Credential credential : all) {
      for (byte[] digest : credential.tokenDigests()) {
        if (MessageDigest.isEqual(presented, digest) && found == null) {
          found = credential;
        }
      }
    }
    return Optional.ofNullable(found);
  }

  public Optional<Credential> byClient(String client) {
    return all.stream().filter(c -> c.client().equals(client)).findFirst();
  }

  /** Whether this plain token is one of a client's (for the dev profile's start-up notice). */
  public boolean accepts(Credential credential, String token) {
    byte[] digest = sha256(token);
    return credential.tokenDigests().stream().anyMatch(d -> MessageDigest.isEqual(d, digest));
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

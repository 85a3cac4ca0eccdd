package io.eventhub.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The hub's JSON reading: one mapper that refuses a document with a duplicate key and reads every
 * number exactly (integers of any size as integers, fractions as {@link java.math.BigDecimal} with
 * their scale, so {@code 1e400} is never Infinity and {@code 2^64+1} never wraps), and the reasons
 * for refusing a document, which say where it stopped being JSON but never quote what it holds.
 */
public final class StrictJson {

  private StrictJson() {}

  /** The mapper every feature reads events, callbacks and requests with. */
  public static ObjectMapper mapper() {
    return JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        // one document per body or record: nothing may follow it
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        .build();
  }

  /**
   * Why a document could not be read, as a safe reason: {@code "<what> is not valid JSON at line L,
   * column C"} or {@code "<what> has a duplicate key at line L, column C"}. The parser's own
   * message is never used: it quotes the document, which may hold personal data.
   */
  public static String reason(String what, Throwable failure) {
    String problem = isDuplicateKey(failure) ? " has a duplicate key" : " is not valid JSON";
    if (failure instanceof JsonProcessingException json && json.getLocation() != null) {
      JsonLocation at = json.getLocation();
      if (at.getLineNr() > 0) {
        return what + problem + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      }
    }
    return what + problem;
  }

  /** Whether the document was refused for a key that appears twice in one object. */
  public static boolean isDuplicateKey(Throwable failure) {
    return failure instanceof JsonProcessingException json
        && json.getOriginalMessage() != null
        && json.getOriginalMessage().startsWith("Duplicate field");
  }
}

package dev.ringsweep.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The library's messages name its API (e.g. {@code Verification.NONE}, {@code maxInFlight}); a command-line user
 * knows the options instead. This rewrites the API's words in a message into the command line's, in one place.
 */
final class CliWords {

  private static final Map<String, String> WORDS = new LinkedHashMap<>();

  static {
    WORDS.put("CounterTarget.ADD_TO_EXISTING (command line: --add-to-counters)", "--add-to-counters");
    WORDS.put("import with Verification.NONE", "import with --verify none");
    WORDS.put("Verification.NONE", "--verify none");
    WORDS.put("Verification.COUNT_AND_CHECKSUM", "--verify checksum");
    WORDS.put("Verification.COUNT", "--verify count");
    WORDS.put("import again with Resume.NEW", "import again without --resume");
    WORDS.put("import with Resume.NEW", "import without --resume");
    WORDS.put("export with Resume.NEW", "export without --resume");
    WORDS.put("Resume.RESUME", "--resume");
    WORDS.put("RESUME needs a checkpoint file (ImportOptions.withCheckpointFile)", "--resume needs --checkpoint FILE");
    WORDS.put("Invalid maxInFlight:", "Invalid value for option '--max-in-flight':");
    WORDS.put("Invalid reader count:", "Invalid value for option '--readers':");
    WORDS.put("Invalid error budget:", "Invalid value for option '--max-errors':");
    WORDS.put("Invalid maxStatementsPerSecond:", "Invalid value for option '--max-rows-per-second':");
  }

  private CliWords() {}

  /** {@code message} with the API's words replaced by the command line's. */
  static String translate(String message) {
    if (message == null) {
      return null;
    }
    String out = message;
    for (Map.Entry<String, String> word : WORDS.entrySet()) {
      out = out.replace(word.getKey(), word.getValue());
    }
    return out;
  }
}

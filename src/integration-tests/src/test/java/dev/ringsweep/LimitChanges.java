package dev.ringsweep;

import java.util.List;
import java.util.function.Predicate;

/**
 * The limit changes an operator's listener heard, taken apart by operation: an import's writes report theirs first,
 * then its verification's reads report theirs, each of their limits' starts naming the read (see
 * {@code VerificationListener} in the core module).
 */
public final class LimitChanges {

  /** What an import's verification reads add to the detail of their limits' starts, before the read's name. */
  public static final String VERIFICATION = " (import verification: ";

  private LimitChanges() {}

  /** The changes of an import's writes among {@code changes}: those that are not its verification's reads'. */
  public static List<LimitChange> writes(List<LimitChange> changes) {
    return operation(changes, detail -> !detail.contains(VERIFICATION));
  }

  /** The changes of the import verification's read named {@code read} ("checksum of the target", say). */
  public static List<LimitChange> verification(List<LimitChange> changes, String read) {
    return operation(changes, detail -> detail.endsWith(VERIFICATION + read + ")"));
  }

  /**
   * The changes of the operation whose limits' starts have a detail that {@code start} accepts: from the first such
   * start to the first start after it that {@code start} does not accept (the next operation's).
   */
  private static List<LimitChange> operation(List<LimitChange> changes, Predicate<String> start) {
    List<LimitChange> all = List.copyOf(changes);
    int from = -1;
    for (int i = 0; i < all.size(); i++) {
      LimitChange c = all.get(i);
      if (c.cause() != LimitChange.Cause.START) {
        continue;
      }
      if (from < 0 && start.test(c.detail())) {
        from = i;
      } else if (from >= 0 && !start.test(c.detail())) {
        return all.subList(from, i);
      }
    }
    return from < 0 ? List.of() : all.subList(from, all.size());
  }
}

package dev.ringsweep.internal;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.LimitChange;
import dev.ringsweep.OperatorOptions;
import dev.ringsweep.token.TokenRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the tests of an operation's limit of range reads share: its options, its ranges, its changes to look at. */
public final class LimitTests {

  private LimitTests() {}

  /** An operator's options with {@code parallelism} as {@code mode} says and range reads timing out after the given. */
  public static OperatorOptions options(int parallelism, ConcurrencyMode mode, Duration requestTimeout) {
    return new OperatorOptions(64, parallelism, mode, DefaultConsistencyLevel.LOCAL_ONE, 5000, requestTimeout,
        3, Duration.ofMillis(100), 3, null);
  }

  /** {@code n} adjacent token ranges of a million tokens each, from 0. */
  public static List<TokenRange> ranges(int n) {
    List<TokenRange> ranges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ranges.add(TokenRange.of(i * 1_000_000L, (i + 1) * 1_000_000L));
    }
    return ranges;
  }

  /** The changes that say a request took more than half of its timeout. */
  public static List<LimitChange> nearTimeout(List<LimitChange> changes) {
    return changes.stream().filter(c -> c.detail() != null && c.detail().contains("of its timeout")).toList();
  }
}

package dev.ringsweep.internal;

import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.token.TokenRange;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listener for tests of what passes callbacks on to a caller's listener: it writes down every callback it hears, one
 * line each ({@link #heard}), and can tell whether a class overrides every callback ({@link #notOverriddenBy}).
 */
public final class HeardListener implements ProgressListener {

  /** What was heard, in order: {@code "progress 30"}, {@code "retry 1"}, {@code "write retry 20 2"}, ... */
  public final List<String> heard = new CopyOnWriteArrayList<>();

  private final boolean detailed;

  @Override
  public void onProgress(Progress progress) {
    heard.add("progress " + progress.rows());
  }

  @Override
  public void onVerificationProgress(String read, Progress progress) {
    heard.add("verification progress " + read + " " + progress.rangesDone() + "/" + progress.rangesTotal() + " "
        + progress.rows());
  }

  @Override
  public void onRetry(TokenRange range, int attempt, Throwable error) {
    heard.add("retry " + attempt);
  }

  @Override
  public void onWriteRetry(int statements, int attempt, Throwable error) {
    heard.add("write retry " + statements + " " + attempt);
  }

  @Override
  public void onSplit(TokenRange range, int pieces) {
    heard.add("split " + pieces);
  }

  /** A limit change: {@code "limit 8"}, with its detail and scope if {@code detailed}. */
  @Override
  public void onLimitChanged(LimitChange change) {
    heard.add("limit " + change.limit() + (detailed ? " " + change.detail() + " " + change.scope() : ""));
  }

  /**
   * A limit change of an import's verification read: {@code "verification limit checksum of the target 8"}, with its
   * detail and scope if {@code detailed}.
   */
  @Override
  public void onVerificationLimitChanged(String read, LimitChange change) {
    heard.add("verification limit " + read + " " + change.limit()
        + (detailed ? " " + change.detail() + " " + change.scope() : ""));
  }

  /** A listener that writes down a limit change's new limit only. */
  public HeardListener() {
    this(false);
  }

  /** A listener that writes down a limit change's detail and scope too, if {@code detailed}. */
  public HeardListener(boolean detailed) {
    this.detailed = detailed;
  }

  /**
   * The callbacks of {@link ProgressListener} that {@code type} leaves to the interface (whose defaults do nothing,
   * so that a caller's listener would never hear of them): none, for a class that passes every callback on.
   */
  public static List<String> notOverriddenBy(Class<?> type) {
    return java.util.Arrays.stream(ProgressListener.class.getMethods())
        .filter(m -> m.isDefault() || Modifier.isAbstract(m.getModifiers()))
        .filter(m -> declaringClass(type, m) != type)
        .map(Method::getName)
        .toList();
  }

  private static Class<?> declaringClass(Class<?> type, Method method) {
    try {
      return type.getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass();
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }
}

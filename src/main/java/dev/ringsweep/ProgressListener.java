package dev.ringsweep;

/**
 * Receives progress while a bulk operation runs.
 *
 * <p>Called from an internal thread of the operation, once after each planned token range finishes; keep the
 * callback short and non-blocking. An exception thrown by the listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface ProgressListener {

  /** A listener that does nothing. */
  ProgressListener NONE = progress -> {};

  /** Called with the progress after a planned token range finished. */
  void onProgress(Progress progress);
}

package dev.ringsweep.batch;

/** The kind of one request a {@link BatchWriter} sent, as counted in its {@link BatchMetrics}. */
public enum BatchKind {
  /** A LOGGED batch of two or more statements. */
  LOGGED,
  /** An UNLOGGED batch of two or more statements. */
  UNLOGGED,
  /** A COUNTER batch of two or more counter updates. */
  COUNTER,
  /**
   * One statement sent on its own: every statement in {@link BatchMode#NONE}, a group of one, a statement larger
   * than the byte cap, a statement isolated after its batch failed, or the statements of an input that fell back
   * to concurrent execution because it contained reads.
   */
  CONCURRENT
}

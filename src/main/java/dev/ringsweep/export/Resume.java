package dev.ringsweep.export;

/**
 * Whether an export or an import continues an interrupted run recorded in its checkpoint (see
 * {@code ExportOptions.withResume} and {@code ImportOptions.withResume}).
 */
public enum Resume {
  /** Start from scratch; a directory target must be empty. The default. */
  NEW,
  /**
   * Continue from the checkpoint. An export skips the token intervals it records as done (whatever the split count)
   * and keeps their files; files of the interrupted run that no done interval covers are deleted. An import skips the
   * source splits it records as done. Without a checkpoint file, the operation starts from scratch.
   */
  RESUME
}

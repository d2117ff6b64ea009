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
   * and keeps their files; files of the interrupted runs that the checkpoint does not record as finished are
   * deleted. It refuses a checkpoint of another table, other columns or another format, an unreadable checkpoint,
   * a recorded file that is missing, and a target that holds output but no checkpoint. An import skips the source
   * splits it records as done. Without a checkpoint file (and, for an export, without output), the operation starts
   * from scratch.
   */
  RESUME
}

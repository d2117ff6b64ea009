package dev.ringsweep.export;

/** Whether an export continues an interrupted run recorded in its checkpoint. */
public enum Resume {
  /** Start from scratch; a directory target must be empty. The default. */
  NEW,
  /**
   * Continue from the checkpoint: token intervals it records as done are skipped (whatever the split count), their
   * files are kept; files of the interrupted run that no done interval covers are deleted. Without a checkpoint, the
   * export starts from scratch.
   */
  RESUME
}

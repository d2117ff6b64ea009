package dev.ringsweep.internal.export;

/** Checks shared by the export targets. */
public final class Targets {

  /**
   * The row-group size of the Parquet files export writes (plain and Iceberg), as parquet-mr counts it: the
   * buffered size at which a writer flushes a row group, its finished pages counted as written (encoded and
   * compressed), so about the row group's size on disk. Parquet's default is 128 MiB, which makes a
   * file of a few hundred MB one row group, hence one import split, and holds up to 128 MiB in each writer. At 8
   * MiB, every file of a few MB splits into several row groups that import in parallel, and a writer holds at most
   * that much per open file; files are a few percent larger (one dictionary per column per row group).
   */
  public static final long ROW_GROUP_SIZE_BYTES = 8L << 20;

  private Targets() {}
}

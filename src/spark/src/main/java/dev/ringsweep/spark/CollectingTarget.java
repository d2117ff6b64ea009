package dev.ringsweep.spark;

import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.internal.export.OutputFormat;
import dev.ringsweep.internal.export.SegmentWriter;
import dev.ringsweep.internal.export.TargetFormat;
import dev.ringsweep.internal.export.TargetFormatProvider;
import dev.ringsweep.internal.export.TargetFormats;
import dev.ringsweep.internal.export.WrittenFile;
import dev.ringsweep.internal.format.CqlColumn;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An export target that wraps a real one (an Iceberg table) and hands the export engine's final commit to a
 * {@link Publisher} instead of making it.
 *
 * <p>On an executor the publisher only keeps the task's finished data files, to return them to the driver. On the
 * driver, the engine runs over no token range at all (it checks the table, the columns and the target, and opens
 * the target's output), and its commit step is where the Spark job runs: the publisher collects the files of every
 * successful task and makes the ONE commit on the real output. Every data file is named with {@code runId}, so
 * that the files of failed attempts can be found and deleted.
 *
 * @param real the real target
 * @param runId the run id every data file name carries
 * @param publisher what replaces the commit
 * @param checkpointFile on the driver, the export's checkpoint, beside which the target's lock is taken against a
 *     second run into the same table; null in tasks, which take no lock
 * @param resume whether the real output is opened to resume an export (a directory may then hold files already)
 */
record CollectingTarget(ExportTarget real, String runId, Publisher publisher, Path checkpointFile, boolean resume)
    implements ExportTarget {

  CollectingTarget {
    Objects.requireNonNull(real, "real");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(publisher, "publisher");
  }

  @Override
  public String describe() {
    return real.describe();
  }

  /** Replaces the commit of the real output. */
  interface Publisher {
    /**
     * Publishes the export.
     *
     * @param files the files the engine wrote in this JVM
     * @param output the real target's open output: commit, discard or delete strays with it
     */
    void publish(List<WrittenFile> files, OutputFormat output);
  }

  /** Finds the format of a {@link CollectingTarget}; registered through {@code META-INF/services}. */
  public static final class Provider implements TargetFormatProvider {
    @Override
    public TargetFormat forTarget(ExportTarget target) {
      return target instanceof CollectingTarget collecting ? new Format(collecting) : null;
    }
  }

  /** The real target's format, with no checkpoint and the commit replaced. */
  private static final class Format implements TargetFormat {
    private final CollectingTarget target;
    private final TargetFormat real;

    Format(CollectingTarget target) {
      this.target = target;
      this.real = TargetFormats.of(target.real());
    }

    @Override
    public void checkColumns(List<CqlColumn> columns) {
      real.checkColumns(columns);
    }

    @Override
    public OutputFormat open(List<CqlColumn> columns, Map<String, String> properties, String ignored,
        boolean resume) {
      OutputFormat output = real.open(columns, properties, target.runId(), target.resume());
      return new OutputFormat() {
        @Override
        public SegmentWriter newSegment(int worker, int sequence) {
          return output.newSegment(worker, sequence);
        }

        @Override
        public boolean holdsOutput() {
          return output.holdsOutput();
        }

        @Override
        public void checkFinished(Path checkpointFile, Collection<WrittenFile> files) {
          output.checkFinished(checkpointFile, files);
        }

        @Override
        public void deleteStrays(Collection<String> runs, Collection<WrittenFile> kept) {
          output.deleteStrays(runs, kept);
        }

        @Override
        public void commit(List<WrittenFile> files) {
          target.publisher().publish(files, output);
        }

        @Override
        public void discard(List<WrittenFile> files) {
          output.discard(files);
        }

        @Override
        public void close() {
          output.close();
        }
      };
    }

    /** None for the engine: on Spark the driver keeps the checkpoint itself, outside the engine's runs. */
    @Override
    public Path defaultCheckpointFile() {
      return null;
    }

    @Override
    public String describeFormat() {
      return real.describeFormat();
    }

    /** The driver takes the real target's lock beside its checkpoint (one run at a time); tasks take none. */
    @Override
    public Path lockFile(Path ignored) {
      return target.checkpointFile() == null ? null : real.lockFile(target.checkpointFile());
    }

    @Override
    public void createLocation() {
      real.createLocation();
    }

    @Override
    public Path fileBase() {
      return real.fileBase();
    }

    @Override
    public String startAfresh() {
      return real.startAfresh();
    }

    @Override
    public boolean commits() {
      return real.commits();
    }
  }
}

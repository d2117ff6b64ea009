package dev.ringsweep.internal.iceberg;

import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.ParquetTarget;
import dev.ringsweep.internal.export.DirectoryFormat;
import dev.ringsweep.internal.export.OutputFormat;
import dev.ringsweep.internal.export.TargetFormat;
import dev.ringsweep.internal.export.TargetFormatProvider;
import dev.ringsweep.internal.format.CqlColumn;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The export formats of this module: Iceberg tables and directories of Parquet files. */
public final class IcebergTargetFormats implements TargetFormatProvider {

  @Override
  public TargetFormat forTarget(ExportTarget target) {
    if (target instanceof IcebergTarget iceberg) {
      return new TableFormat(iceberg);
    }
    if (target instanceof ParquetTarget parquet) {
      return new DirectoryFormat(parquet.directory(), ".parquet",
          "parquet compression=" + parquet.compression().codec(), parquet.targetFileSizeBytes(),
          (columns, metadata) -> ParquetFiles.opener(IcebergRowMapping.of(columns), metadata,
              parquet.compression())) {
        @Override
        public void checkColumns(List<CqlColumn> columns) {
          IcebergRowMapping.of(columns);
        }
      };
    }
    return null;
  }

  /** An Iceberg table: data files under the table's location, ONE commit at the end. */
  private static final class TableFormat implements TargetFormat {
    private final IcebergTarget target;

    TableFormat(IcebergTarget target) {
      this.target = target;
    }

    @Override
    public void checkColumns(List<CqlColumn> columns) {
      IcebergRowMapping.of(columns);
    }

    @Override
    public OutputFormat open(List<CqlColumn> columns, Map<String, String> properties, String runId,
        boolean resume) {
      return IcebergOutput.open(target, IcebergRowMapping.of(columns), properties, runId);
    }

    @Override
    public Path defaultCheckpointFile() {
      if (target.warehouse() == null) {
        return null;
      }
      Path folder = target.warehouse().toAbsolutePath().normalize().resolve("_ringsweep_checkpoints");
      Path file = folder.resolve(target.table() + ".json").normalize();
      if (!folder.equals(file.getParent())) {
        // Unreachable for a checked identifier (IcebergNames); kept so that no name ever writes elsewhere.
        throw new IllegalArgumentException(String.format(
            "Invalid Iceberg table identifier: '%s' (its checkpoint %s would be outside %s)", target.table(), file,
            folder));
      }
      return file;
    }

    @Override
    public String describeFormat() {
      return "iceberg table=" + target.table() + " compression=" + target.compression().codec() + " mode="
          + target.writeMode().name().toLowerCase(Locale.ROOT);
    }

    /** Beside the checkpoint; none without one (a user catalog: concurrent appends are then the caller's to order). */
    @Override
    public Path lockFile(Path checkpointFile) {
      return checkpointFile == null ? null : checkpointFile.resolveSibling(checkpointFile.getFileName() + ".lock");
    }

    @Override
    public void createLocation() {
      if (target.warehouse() != null) {
        IcebergCatalogs.createWarehouse(target);
      }
    }

    @Override
    public Path fileBase() {
      return null;
    }

    @Override
    public String startAfresh() {
      return "to start afresh, delete it and export without resuming (nothing of the interrupted run was committed)";
    }

    @Override
    public boolean commits() {
      return true;
    }
  }
}

package dev.ringsweep.internal.export;

import dev.ringsweep.export.CsvTarget;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.export.JsonLinesTarget;
import java.util.ServiceLoader;

/** Finds the {@link TargetFormat} of an export target: core's text targets, else a format module's provider. */
public final class TargetFormats {

  private TargetFormats() {}

  /**
   * The format of {@code target}.
   *
   * @throws IllegalArgumentException if no format on the classpath handles it
   */
  public static TargetFormat of(ExportTarget target) {
    if (target instanceof CsvTarget c) {
      return new DirectoryFormat(c.directory(), ".csv" + c.compression().suffix(),
          "csv compression=" + c.compression().name().toLowerCase(java.util.Locale.ROOT), c.targetFileSizeBytes(),
          (columns, properties) -> TextFiles.csv(columns, c.compression()));
    }
    if (target instanceof JsonLinesTarget j) {
      return new DirectoryFormat(j.directory(), ".jsonl" + j.compression().suffix(),
          "json compression=" + j.compression().name().toLowerCase(java.util.Locale.ROOT), j.targetFileSizeBytes(),
          (columns, properties) -> TextFiles.jsonLines(columns, j.compression()));
    }
    for (TargetFormatProvider provider : ServiceLoader.load(TargetFormatProvider.class,
        TargetFormats.class.getClassLoader())) {
      TargetFormat format = provider.forTarget(target);
      if (format != null) {
        return format;
      }
    }
    throw new IllegalArgumentException(String.format(
        "Unsupported export target: %s (%s); Iceberg and Parquet targets need the module dev.ringsweep:"
            + "ringsweep-iceberg on the classpath", target.describe(), target.getClass().getName()));
  }
}

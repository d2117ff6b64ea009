package dev.ringsweep.internal.iceberg;

import dev.ringsweep.iceberg.IcebergSource;
import dev.ringsweep.iceberg.ParquetSource;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.imports.SourceReader;
import dev.ringsweep.internal.imports.SourceReaderProvider;

/** The import sources of this module: Iceberg tables and Parquet files. */
public final class IcebergSourceReaders implements SourceReaderProvider {

  @Override
  public SourceReader open(ImportSource source, int readers) {
    if (source instanceof IcebergSource iceberg) {
      return IcebergReader.open(iceberg);
    }
    if (source instanceof ParquetSource parquet) {
      return ParquetReader.open(parquet);
    }
    return null;
  }
}

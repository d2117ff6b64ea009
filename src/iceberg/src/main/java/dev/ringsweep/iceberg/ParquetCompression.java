package dev.ringsweep.iceberg;

/** Compression codec of Parquet data files (plain Parquet and Iceberg). */
public enum ParquetCompression {
  /** Zstandard: the best size for its speed here; the default. */
  ZSTD("zstd"),
  /** Snappy: fast, larger files. */
  SNAPPY("snappy"),
  /** Gzip: small, slow. */
  GZIP("gzip"),
  /** No compression. */
  NONE("uncompressed");

  private final String codec;

  ParquetCompression(String codec) {
    this.codec = codec;
  }

  /** The codec name as Iceberg's {@code write.parquet.compression-codec} property spells it. */
  public String codec() {
    return codec;
  }
}

package dev.ringsweep.export;

/** Compression of CSV and JSON lines files. */
public enum TextCompression {
  /** Plain text; the default. */
  NONE(""),
  /** Gzip; files end in {@code .gz}. */
  GZIP(".gz");

  private final String suffix;

  TextCompression(String suffix) {
    this.suffix = suffix;
  }

  /** The file name suffix this compression adds. */
  public String suffix() {
    return suffix;
  }
}

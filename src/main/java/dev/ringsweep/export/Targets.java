package dev.ringsweep.export;

/** Checks shared by the export targets. */
final class Targets {

  private Targets() {}

  static void checkFileSize(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException(String.format("Invalid target file size: %s (must be > 0)", bytes));
    }
  }
}

package dev.ringsweep.internal.imports;

import dev.ringsweep.imports.ImportSource;

/**
 * Opens the import sources a format module defines. Registered in
 * {@code META-INF/services/dev.ringsweep.internal.imports.SourceReaderProvider} and found with
 * {@link java.util.ServiceLoader}.
 */
public interface SourceReaderProvider {

  /**
   * Opens {@code source} for reading, or returns null when it is not one of this provider's sources.
   *
   * @param readers the number of reader threads the import runs (a source may plan that many splits at least)
   */
  SourceReader open(ImportSource source, int readers);
}

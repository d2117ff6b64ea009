package dev.ringsweep.internal.export;

import dev.ringsweep.export.ExportTarget;

/**
 * Gives the {@link TargetFormat} of the export targets a format module defines. Registered in
 * {@code META-INF/services/dev.ringsweep.internal.export.TargetFormatProvider} and found with
 * {@link java.util.ServiceLoader}.
 */
public interface TargetFormatProvider {

  /** The format of {@code target}, or null when the target is not one of this provider's. */
  TargetFormat forTarget(ExportTarget target);
}

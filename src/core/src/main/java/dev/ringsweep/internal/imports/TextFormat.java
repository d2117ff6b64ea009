package dev.ringsweep.internal.imports;

import com.datastax.oss.driver.api.core.type.DataType;

/** The text sources of core: CSV cells and JSON values. */
public enum TextFormat implements SourceFormat {
  /** CSV cells: strings, null for an empty unquoted cell. */
  CSV,
  /** JSON values ({@code JsonNode}), null for an absent member. */
  JSON;

  @Override
  public Conversions.Resolved resolve(SourceColumn source, DataType target) {
    return Conversions.text(this, source, target);
  }

  @Override
  public DataType companionType(SourceColumn source, DataType scalar) {
    return scalar;
  }
}

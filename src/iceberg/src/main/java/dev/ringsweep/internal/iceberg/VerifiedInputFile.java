package dev.ringsweep.internal.iceberg;

import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.hadoop.HadoopConfigurable;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.util.SerializableSupplier;

/**
 * An Iceberg input file that makes Iceberg's Parquet reader verify the CRC of every page it reads.
 *
 * <p>Iceberg's {@code Parquet.read} enables page checksum verification only through the Hadoop configuration of a
 * {@link HadoopConfigurable} input file ({@code parquet.page.verify-checksum.enabled}); a plain local file, or a file
 * of another {@code FileIO}, is read unverified, and a damaged page then decodes to wrong values. This wrapper gives
 * any input file such a configuration; the bytes still come from the wrapped file. A page whose CRC does not match
 * fails the read (parquet-mr's "could not verify page integrity") before any row of its row group is returned. Pages
 * written without a CRC are read unverified.
 */
final class VerifiedInputFile implements InputFile, HadoopConfigurable {

  /** The parquet-mr key that turns on page checksum verification on read. */
  static final String VERIFY_CHECKSUMS = "parquet.page.verify-checksum.enabled";

  /** Shared and never modified: Iceberg's reader copies it before use. */
  private static final Configuration CONF = verifying();

  private final InputFile file;

  private VerifiedInputFile(InputFile file) {
    this.file = file;
  }

  /** {@code file}, read with page checksum verification. */
  static InputFile of(InputFile file) {
    return file instanceof VerifiedInputFile ? file : new VerifiedInputFile(file);
  }

  private static Configuration verifying() {
    Configuration conf = IcebergCatalogs.hadoopConf();
    conf.setBoolean(VERIFY_CHECKSUMS, true);
    return conf;
  }

  @Override
  public long getLength() {
    return file.getLength();
  }

  @Override
  public SeekableInputStream newStream() {
    return file.newStream();
  }

  @Override
  public String location() {
    return file.location();
  }

  @Override
  public boolean exists() {
    return file.exists();
  }

  @Override
  public Configuration getConf() {
    return CONF;
  }

  @Override
  public void setConf(Configuration conf) {
    throw new UnsupportedOperationException("The configuration of a verified input file is fixed");
  }

  @Override
  public void serializeConfWith(
      Function<Configuration, SerializableSupplier<Configuration>> confSerializer) {
    // Never serialized: the file is read where it is opened.
  }

  @Override
  public String toString() {
    return file.location();
  }
}

package dev.ringsweep.internal.iceberg;

import java.io.IOException;
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
 *
 * <p>Its streams are {@link HeldStream}s, never a {@link org.apache.iceberg.io.DelegatingInputStream}: Iceberg's
 * Parquet reader unwraps a delegating stream and keeps only the Hadoop stream inside it, leaving the Iceberg stream
 * that owns it unreachable; that stream's finalizer then closes the Hadoop stream in the middle of a read once the
 * garbage collector runs ("Cannot invoke PositionedReadable.readVectored because this.in is null" on large files).
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
    return new HeldStream(file.newStream());
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

  /**
   * A stream that holds the wrapped one for as long as it is read, and does not let a reader unwrap it (see the
   * class comment). Every call goes to the wrapped stream.
   */
  static final class HeldStream extends SeekableInputStream {
    private final SeekableInputStream stream;

    HeldStream(SeekableInputStream stream) {
      this.stream = stream;
    }

    @Override
    public long getPos() throws IOException {
      return stream.getPos();
    }

    @Override
    public void seek(long newPos) throws IOException {
      stream.seek(newPos);
    }

    @Override
    public int read() throws IOException {
      return stream.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return stream.read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
      return stream.skip(n);
    }

    @Override
    public int available() throws IOException {
      return stream.available();
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }
}

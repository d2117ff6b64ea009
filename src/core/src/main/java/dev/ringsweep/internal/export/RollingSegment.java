package dev.ringsweep.internal.export;

import dev.ringsweep.internal.DurableFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@link SegmentWriter} writing one local file at a time and rolling at the target size (Parquet, CSV, JSON). */
public final class RollingSegment implements SegmentWriter {

  /** One open data file. */
  public interface RowFile extends Closeable {
    void write(Object[] row) throws IOException;

    /** Bytes written so far, including what is buffered. */
    long length();
  }

  /** Opens a data file at a path. */
  public interface Opener {
    RowFile open(Path path) throws IOException;
  }

  private final Path directory;
  private final String prefix;
  private final String suffix;
  private final Opener opener;
  private final long targetBytes;
  private final List<WrittenFile> done = new ArrayList<>();
  private RowFile current;
  private Path currentPath;
  private long currentRows;
  private long closedBytes;
  private int count;

  public RollingSegment(Path directory, String prefix, String suffix, Opener opener, long targetBytes) {
    this.directory = directory;
    this.prefix = prefix;
    this.suffix = suffix;
    this.opener = opener;
    this.targetBytes = targetBytes;
  }

  @Override
  public void write(Object[] row) {
    try {
      if (current == null) {
        currentPath = directory.resolve(String.format("%s-%05d%s", prefix, count++, suffix));
        current = opener.open(currentPath);
        currentRows = 0;
      }
      current.write(row);
      currentRows++;
      if ((currentRows & 127) == 0 && current.length() >= targetBytes) {
        closeCurrent();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public long bytes() {
    return closedBytes + (current == null ? 0 : current.length());
  }

  /**
   * Closes the open file and returns the segment's files, each forced to disk with the directory's entries, so
   * that the checkpoint that records them next never outlives them in a crash of the machine.
   */
  @Override
  public List<WrittenFile> finish() {
    try {
      closeCurrent();
      if (!done.isEmpty()) {
        DurableFiles.forceDirectory(directory);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(done);
  }

  private void closeCurrent() throws IOException {
    if (current == null) {
      return;
    }
    current.close();
    DurableFiles.force(currentPath);
    long size = Files.size(currentPath);
    closedBytes += size;
    done.add(new WrittenFile(currentPath.toString(), currentRows, size, null));
    current = null;
  }

  @Override
  public void abort() {
    try {
      if (current != null) {
        current.close();
      }
    } catch (IOException | RuntimeException e) {
      // already failing
    }
    try {
      if (currentPath != null) {
        Files.deleteIfExists(currentPath);
      }
      for (WrittenFile f : done) {
        Files.deleteIfExists(Path.of(f.path()));
      }
    } catch (IOException e) {
      // best effort
    }
  }
}

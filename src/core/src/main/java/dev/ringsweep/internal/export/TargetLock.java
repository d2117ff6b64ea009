package dev.ringsweep.internal.export;

import dev.ringsweep.internal.format.OnDisk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive right of one export run to write into one target, held as an operating-system lock on a lock file
 * beside the target's checkpoint. A second run on the same target, in this JVM or another, is refused while the
 * first holds it; the operating system releases it when its process ends, however it ends (a run killed with
 * {@code kill -9} does not leave a stale lock). The lock file itself is left in place: deleting it would let two
 * runs lock two different files of the same name.
 */
public final class TargetLock implements AutoCloseable {

  /** The lock file of a directory target, in the directory. */
  public static final String DIRECTORY_LOCK_FILE = OnDisk.DIRECTORY_LOCK_FILE;

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private TargetLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code target} on {@code file}, creating the file and its parent directories.
   *
   * @throws IllegalStateException if another export holds it
   * @throws UncheckedIOException if the lock file cannot be created
   */
  public static TargetLock acquire(Path file, String target) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(String.format(
          "Cannot create the folder %s of the checkpoint and lock file of export target %s (%s)", parent, target, e),
          e);
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          String.format("Cannot create the lock file %s of export target %s (%s)", file, target, e), e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another run in this JVM
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException(String.format("Cannot lock %s (%s)", file, e), e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new IllegalStateException(String.format(
          "Export target %s is in use by another export (it holds the lock %s); wait for that export to end, or "
              + "export somewhere else", target, file));
    }
    return new TargetLock(file, channel, lock);
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // the channel's close releases it too
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}

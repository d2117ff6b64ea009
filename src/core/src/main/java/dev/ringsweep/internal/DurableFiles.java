package dev.ringsweep.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files written durably: checkpoints replaced atomically (a reader sees the old content or the new, whole), and the
 * data files a checkpoint records forced to disk before it records them.
 */
public final class DurableFiles {

  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");

  private DurableFiles() {}

  /**
   * Replaces {@code file} with {@code content}: written to a sibling temporary file, forced to disk, then moved over
   * {@code file} atomically. Creates the parent directories.
   *
   * @throws IOException if the parent folder cannot be created or written to (the message names it), or the write
   *     fails
   */
  public static void replace(Path file, byte[] content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new IOException(String.format("Cannot create the folder %s of %s (%s)", parent, file, e), e);
      }
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    FileChannel opened;
    try {
      opened = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new IOException(String.format("Cannot create %s in folder %s (%s)", tmp.getFileName(),
          tmp.toAbsolutePath().getParent(), e), e);
    }
    try (FileChannel channel = opened) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(file.toAbsolutePath().getParent());
  }

  /**
   * Forces {@code file}'s content to disk ({@code fsync}), so that a record of it (a checkpoint that calls it
   * finished) never outlives its data in a crash of the machine. A file closed is only in the page cache until then.
   *
   * @throws IOException naming the file if it cannot be opened or forced
   */
  public static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw new IOException(String.format("Cannot force %s to disk (%s)", file, e), e);
    }
  }

  /**
   * Forces a directory's entries to disk, so that files created, renamed or moved into it keep their names after a
   * crash of the machine. On Windows, which opens no directory as a file, does nothing.
   *
   * @throws IOException naming the directory if forcing it fails
   */
  public static void forceDirectory(Path directory) throws IOException {
    if (directory == null || WINDOWS) {
      return; // Windows opens no directory as a channel
    }
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw new IOException(String.format("Cannot force directory %s to disk (%s)", directory, e), e);
    }
  }
}

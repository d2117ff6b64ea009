package dev.ringsweep.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files written durably: checkpoints replaced atomically (a reader sees the old content or the new, whole), and the
 * data files a checkpoint records forced to disk before it records them.
 */
public final class DurableFiles {

  private static final Logger LOG = LoggerFactory.getLogger(DurableFiles.class);

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
    asideFromInterrupt(() -> replaceUninterrupted(file, content));
  }

  /** An action on files that may throw {@link IOException}. */
  private interface IoAction {
    void run() throws IOException;
  }

  /**
   * Runs {@code action} with the thread's interrupt set aside, then restores it. A file channel closes on an
   * interrupted thread's write or force, and Ctrl-C interrupts an export's writers and an import's readers as they
   * record their work: what they write and force goes through all the same.
   */
  private static void asideFromInterrupt(IoAction action) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      action.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void replaceUninterrupted(Path file, byte[] content) throws IOException {
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
    // The new content is in place from here on: a failure to force its directory entry must not report it as not
    // written (the caller would take back what the file on disk now says).
    try {
      forceDirectory(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      LOG.warn("{} is written, but its directory could not be forced to disk: a crash of the machine may bring back "
          + "its previous content ({})", file, e.getMessage());
    }
  }

  /**
   * Forces {@code file}'s content to disk ({@code fsync}), so that a record of it (a checkpoint that calls it
   * finished) never outlives its data in a crash of the machine. A file closed is only in the page cache until then.
   * Done on an interrupted thread too (Ctrl-C interrupts an export's writers as they finish their files); the
   * interrupt is kept.
   *
   * @throws IOException naming the file if it cannot be opened or forced
   */
  public static void force(Path file) throws IOException {
    forceOpened(file, file.toString());
  }

  /**
   * Forces a directory's entries to disk, so that files created, renamed or moved into it keep their names after a
   * crash of the machine. On Windows, which opens no directory as a file, does nothing. Done on an interrupted thread
   * too; the interrupt is kept.
   *
   * @throws IOException naming the directory if forcing it fails
   */
  public static void forceDirectory(Path directory) throws IOException {
    if (directory == null || WINDOWS) {
      return; // Windows opens no directory as a channel
    }
    forceOpened(directory, "directory " + directory);
  }

  /** Opens {@code path} (a file or a directory) and forces it, the interrupt set aside; {@code what} names it. */
  private static void forceOpened(Path path, String what) throws IOException {
    asideFromInterrupt(() -> {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        channel.force(true);
      } catch (IOException e) {
        throw new IOException(String.format("Cannot force %s to disk (%s)", what, e), e);
      }
    });
  }
}

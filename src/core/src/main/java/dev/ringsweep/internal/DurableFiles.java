package dev.ringsweep.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Files replaced atomically and durably, as checkpoints need: a reader sees the old content or the new, whole. */
public final class DurableFiles {

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
  }
}

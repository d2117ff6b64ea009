package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

  @TempDir Path dir;

  @Test
  void should_create_the_folder_and_replace_the_file() throws IOException {
    Path file = dir.resolve("a").resolve("b").resolve("c.json");
    DurableFiles.replace(file, "one".getBytes(StandardCharsets.UTF_8));
    DurableFiles.replace(file, "two".getBytes(StandardCharsets.UTF_8));
    assertThat(file).hasContent("two");
    assertThat(dir.resolve("a").resolve("b")).isDirectoryContaining(p -> p.equals(file));
  }

  @Test
  void should_say_which_folder_cannot_be_created() throws IOException {
    Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
    Path file = blocker.resolve("checkpoints").resolve("db.t.json");
    assertThatThrownBy(() -> DurableFiles.replace(file, new byte[] {1}))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot create the folder " + blocker.resolve("checkpoints") + " of " + file + " (");
  }

  @Test
  void should_force_a_file_and_its_directory_and_name_what_cannot_be_forced() throws IOException {
    Path file = Files.writeString(dir.resolve("part-00000.csv"), "k,v\n1,a\n");
    DurableFiles.force(file);
    DurableFiles.forceDirectory(dir);
    assertThat(file).hasContent("k,v\n1,a\n");

    Path missing = dir.resolve("gone.csv");
    assertThatThrownBy(() -> DurableFiles.force(missing))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot force " + missing + " to disk (");
    Path noDirectory = dir.resolve("no-such-directory");
    assertThatThrownBy(() -> DurableFiles.forceDirectory(noDirectory))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot force directory " + noDirectory + " to disk (");
  }

  @Test
  void should_force_on_an_interrupted_thread_and_keep_the_interrupt() throws IOException {
    // Ctrl-C interrupts an export's writers as they finish their files; a file channel would close on the force.
    Path file = Files.writeString(dir.resolve("part-00001.csv"), "k\n1\n");
    Thread.currentThread().interrupt();
    try {
      DurableFiles.force(file);
      DurableFiles.forceDirectory(dir);
      DurableFiles.replace(dir.resolve("cp.json"), "{}".getBytes(StandardCharsets.UTF_8));
      assertThat(Thread.currentThread().isInterrupted()).as("interrupt kept").isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(dir.resolve("cp.json")).hasContent("{}");
  }
}

package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counting the rows of DSBulk's CSV output. */
class TransferSuitesTest {

  @Test
  void should_count_csv_lines_less_one_header_per_file(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("output-000001.csv"), "id,name\n1,a\n2,b\n");
    Files.writeString(dir.resolve("output-000002.csv"), "id,name\n3,c\n");
    Files.writeString(dir.resolve("other.txt"), "not counted\n");
    assertThat(TransferSuites.csvRows(dir)).isEqualTo(3);
  }
}

package dev.ringsweep.internal.imports;

import dev.ringsweep.imports.ImportSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringsweep.internal.imports.SourceColumn;
import dev.ringsweep.internal.imports.SourceFiles;
import dev.ringsweep.internal.imports.SourceFormat;
import dev.ringsweep.internal.imports.SourceReader;
import dev.ringsweep.internal.imports.TextFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;



class TextReaderTest {

  private static final String SCHEMA = "{\"columns\": [{\"name\": \"k\", \"cqlType\": \"int\"}, "
      + "{\"name\": \"v\", \"cqlType\": \"text\"}]}";

  @TempDir Path dir;

  private static List<SourceReader.RawRow> readAll(SourceReader reader) {
    List<SourceReader.RawRow> rows = new ArrayList<>();
    for (SourceReader.Split split : reader.splits()) {
      try (SourceReader.Rows it = split.open()) {
        it.forEachRemaining(rows::add);
      }
    }
    return rows;
  }

  @Test
  void should_read_gzipped_csv_files_with_the_recorded_types_whatever_the_order_of_their_header() throws IOException {
    Files.writeString(dir.resolve(SourceFiles.SCHEMA_FILE), SCHEMA);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("part-1.csv.gz")))) {
      out.write("v,k\r\n\"a,b\",1\r\n,2\r\n".getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(dir.resolve("part-2.csv"), "k,v\r\n3,\"\"\r\n");
    Files.writeString(dir.resolve("_ringsweep_checkpoint.json"), "{}");
    try (SourceReader reader = TextReader.open(ImportSource.csv(dir))) {
      assertThat(reader.format()).isEqualTo(TextFormat.CSV);
      assertThat(reader.columns()).extracting(SourceColumn::recordedCqlType).containsExactly("int", "text");
      assertThat(reader.splits()).hasSize(2);
      assertThat(readAll(reader)).extracting(r -> Arrays.asList(r.values()))
          .containsExactly(List.of("1", "a,b"), Arrays.asList("2", null), List.of("3", ""));
    }
  }

  @Test
  void should_take_an_exported_csv_files_last_record_without_a_line_break_for_a_bad_record() throws IOException {
    // An export ends every record with CRLF: a file that ends inside one was cut short (or is still being written),
    // and its last "row" would be a truncated value. A CSV file of no export may end without a line break.
    Files.writeString(dir.resolve(SourceFiles.SCHEMA_FILE), SCHEMA);
    Files.writeString(dir.resolve("part-1.csv"), "k,v\r\n1,hello\r\n2,hello wo");
    try (SourceReader reader = TextReader.open(ImportSource.csv(dir))) {
      List<SourceReader.RawRow> rows = readAll(reader);
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0).values()).containsExactly("1", "hello");
      assertThat(rows.get(1).problem()).isEqualTo("malformed CSV: no line break after the last record: the file "
          + "ends inside it (cut short?)");
      assertThat(rows.get(1).text()).isEqualTo("2,hello wo");
    }
    Path plain = Files.createDirectory(dir.resolve("plain"));
    Files.writeString(plain.resolve("rows.csv"), "k,v\n1,hello\n2,hello world");
    try (SourceReader reader = TextReader.open(ImportSource.csv(plain))) {
      assertThat(readAll(reader)).extracting(r -> Arrays.asList(r.values()))
          .containsExactly(List.of("1", "hello"), List.of("2", "hello world"));
    }
  }

  @Test
  void should_refuse_bytes_that_are_not_utf_8_naming_the_file_rather_than_import_a_replacement_character()
      throws IOException {
    Path file = dir.resolve("part-1.csv");
    byte[] head = "k,v\r\n1,caf".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\r\n2,b\r\n".getBytes(StandardCharsets.UTF_8);
    // 0xE9 is 'é' in Latin-1, not a UTF-8 sequence on its own.
    byte[] latin1 = new byte[head.length + 1 + tail.length];
    System.arraycopy(head, 0, latin1, 0, head.length);
    latin1[head.length] = (byte) 0xE9;
    System.arraycopy(tail, 0, latin1, head.length + 1, tail.length);
    Files.write(file, latin1);

    assertThatThrownBy(() -> {
      try (SourceReader reader = TextReader.open(ImportSource.csv(dir))) {
        readAll(reader);
      }
    }).hasStackTraceContaining(file + " is not UTF-8 text").hasStackTraceContaining("save the file as UTF-8");
    Files.writeString(file, "k,v\r\n1,caf\u00e9\r\n");
    try (SourceReader reader = TextReader.open(ImportSource.csv(dir))) {
      assertThat(readAll(reader)).extracting(r -> Arrays.asList(r.values())).containsExactly(List.of("1", "caf\u00e9"));
    }
  }

  @Test
  void should_read_a_csv_header_that_starts_with_a_byte_order_mark() throws IOException {
    Files.writeString(dir.resolve("part-1.csv"), "\uFEFFk,v\r\n1,a\r\n");
    try (SourceReader reader = TextReader.open(ImportSource.csv(dir))) {
      assertThat(reader.columns()).extracting(SourceColumn::name).containsExactly("k", "v");
      assertThat(readAll(reader)).extracting(r -> Arrays.asList(r.values())).containsExactly(List.of("1", "a"));
    }
  }

  @Test
  void should_refuse_the_directory_of_an_export_that_has_not_finished() throws IOException {
    Files.writeString(dir.resolve("part-1.csv"), "k,v\r\n1,a\r\n");
    Files.writeString(dir.resolve("_ringsweep_checkpoint.json"), "{\"runs\": [\"r1\"], \"complete\": false}");
    assertThatThrownBy(() -> TextReader.open(ImportSource.csv(dir)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds an export that has not finished");
  }

  @Test
  void should_refuse_a_csv_file_whose_header_is_not_the_recorded_columns() throws IOException {
    Files.writeString(dir.resolve(SourceFiles.SCHEMA_FILE), SCHEMA);
    Files.writeString(dir.resolve("part-1.csv"), "k,w\r\n1,2\r\n");
    assertThatThrownBy(() -> TextReader.open(ImportSource.csv(dir)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CSV file " + dir.resolve("part-1.csv") + " has the header [k, w], not the columns [k, v]");
  }

  @Test
  void should_take_json_columns_from_the_first_object_when_there_is_no_schema_file() throws IOException {
    Files.writeString(dir.resolve("rows.jsonl"), "\n{\"id\": 1, \"name\": \"x\"}\n{\"name\": null, \"id\": 2}\n");
    try (SourceReader reader = TextReader.open(ImportSource.jsonLines(dir.resolve("rows.jsonl")))) {
      assertThat(reader.columns()).extracting(SourceColumn::name).containsExactly("id", "name");
      assertThat(reader.columns()).extracting(SourceColumn::recordedCqlType).containsOnlyNulls();
      List<SourceReader.RawRow> rows = readAll(reader);
      assertThat(rows).hasSize(2);
      assertThat(((JsonNode) rows.get(1).values()[0]).asInt()).isEqualTo(2);
      assertThat(rows.get(1).values()[1]).isNull();
    }
  }

  @Test
  void should_take_two_json_objects_run_together_on_one_line_for_a_bad_record_not_the_first_alone()
      throws IOException {
    // Two files joined without a final newline: the line holds two rows. Reading only the first would drop the
    // second without a word.
    Files.writeString(dir.resolve("rows.jsonl"), "{\"id\": 1, \"name\": \"x\"}\n{\"id\": 2, \"name\": \"y\"}"
        + "{\"id\": 3, \"name\": \"z\"}\n{\"id\": 4, \"name\": \"w\"} trailing\n");
    try (SourceReader reader = TextReader.open(ImportSource.jsonLines(dir.resolve("rows.jsonl")))) {
      List<SourceReader.RawRow> rows = readAll(reader);
      assertThat(rows).hasSize(3);
      assertThat(rows.get(0).problem()).isNull();
      assertThat(rows.get(1).problem()).startsWith("malformed JSON: Trailing token");
      assertThat(rows.get(1).text()).isEqualTo("{\"id\": 2, \"name\": \"y\"}{\"id\": 3, \"name\": \"z\"}");
      assertThat(rows.get(2).problem()).startsWith("malformed JSON: ");
    }
  }

  @Test
  void should_skip_files_under_directories_named_with_an_underscore_or_a_dot() throws IOException {
    Files.createDirectories(dir.resolve("day=1"));
    Files.writeString(dir.resolve("day=1").resolve("part-1.jsonl"), "{\"id\": 1}\n");
    // A Spark export's staging directory, Spark's temporary one, a hidden one: none of their files is output.
    for (String skipped : List.of("_ringsweep_spark-r1/t0a1", "_temporary/0", ".hidden")) {
      Files.createDirectories(dir.resolve(skipped));
      Files.writeString(dir.resolve(skipped).resolve("part-9.jsonl"), "{\"id\": 9}\n");
    }

    assertThat(SourceFiles.list(dir, ".jsonl")).containsExactly(dir.resolve("day=1").resolve("part-1.jsonl"));
  }

  @Test
  void should_name_a_text_split_in_a_checkpoint_by_its_file_and_size() throws IOException {
    Path file = Files.writeString(dir.resolve("rows.jsonl"), "{\"id\": 1}\n");
    try (SourceReader reader = TextReader.open(ImportSource.jsonLines(file))) {
      SourceReader.Split split = reader.splits().get(0);
      assertThat(split.describe()).isEqualTo(file.toString());
      assertThat(split.checkpointName()).isEqualTo(file + " (10 bytes)");
    }
    // Rewritten under the same name with other rows: another split for a checkpoint.
    Files.writeString(file, "{\"id\": 1}\n{\"id\": 2}\n");
    try (SourceReader reader = TextReader.open(ImportSource.jsonLines(file))) {
      assertThat(reader.splits().get(0).checkpointName()).isEqualTo(file + " (20 bytes)");
    }
  }

  @Test
  void should_report_an_unreadable_schema_file() throws IOException {
    Files.writeString(dir.resolve(SourceFiles.SCHEMA_FILE), "{\"columns\": []}");
    Files.writeString(dir.resolve("part-1.jsonl"), "{}\n");
    assertThatThrownBy(() -> TextReader.open(ImportSource.jsonLines(dir)))
        .hasMessage("Unreadable schema file " + dir.resolve(SourceFiles.SCHEMA_FILE) + ": no columns");
  }
}

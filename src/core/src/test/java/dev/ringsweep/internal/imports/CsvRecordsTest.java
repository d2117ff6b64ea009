package dev.ringsweep.internal.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {

  @Test
  void should_read_quoted_cells_with_commas_quotes_and_line_breaks() {
    CsvRecords in = new CsvRecords(new StringReader("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"));
    assertThat(in.next().cells()).containsExactly("a", "b", "c");
    assertThat(in.next().cells()).containsExactly("x,1", "say \"hi\"", "two\r\nlines");
    assertThat(in.next()).isNull();
  }

  @Test
  void should_read_an_empty_unquoted_cell_as_null_and_a_quoted_one_as_empty() {
    CsvRecords in = new CsvRecords(new StringReader(",\"\",x,\n"));
    assertThat(in.next().cells()).isEqualTo(Arrays.asList(null, "", "x", null));
  }

  @Test
  void should_read_lf_endings_and_a_last_line_without_ending() {
    CsvRecords in = new CsvRecords(new StringReader("1,2\n3,4"));
    assertThat(in.next().cells()).containsExactly("1", "2");
    assertThat(in.next().cells()).containsExactly("3", "4");
    assertThat(in.next()).isNull();
  }

  @Test
  void should_read_a_last_line_without_ending_whose_last_cell_is_quoted() {
    CsvRecords in = new CsvRecords(new StringReader("1,\"x\"\n2,\"y, z\"\n3,\"\""));
    assertThat(in.next().cells()).containsExactly("1", "x");
    assertThat(in.next().cells()).containsExactly("2", "y, z");
    CsvRecords.CsvRecord last = in.next();
    assertThat(last.problem()).isNull();
    assertThat(last.cells()).containsExactly("3", "");
    assertThat(in.next()).isNull();
    // Export's files end every record with a line break: there, such a last line is a file cut short.
    assertThat(new CsvRecords(new StringReader("1,\"x\""), true).next().problem())
        .isEqualTo("no line break after the last record: the file ends inside it (cut short?)");
  }

  @Test
  void should_report_a_stray_quote_and_resume_at_the_next_line() {
    CsvRecords in = new CsvRecords(new StringReader("1,ab\"c,3\n\"x\"y,2\n4,5\n"));
    CsvRecords.CsvRecord stray = in.next();
    assertThat(stray.cells()).isNull();
    assertThat(stray.problem()).isEqualTo("stray quote in cell 2");
    assertThat(stray.text()).isEqualTo("1,ab\"c,3");
    CsvRecords.CsvRecord after = in.next();
    assertThat(after.problem()).isEqualTo("text after the closing quote of cell");
    assertThat(after.text()).isEqualTo("\"x\"y,2");
    assertThat(in.next().cells()).containsExactly("4", "5");
  }

  @Test
  void should_report_an_unterminated_quoted_cell() {
    CsvRecords in = new CsvRecords(new StringReader("1,\"open\n"));
    assertThat(in.next().problem()).isEqualTo("unterminated quoted cell at the end of the file");
    assertThat(in.next()).isNull();
    assertThat(new CsvRecords(new StringReader("1,\"open")).next().problem())
        .isEqualTo("unterminated quoted cell at the end of the file");
  }
}

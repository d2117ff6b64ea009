package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Ratios in the reports are taken against the baseline of the same group. */
class ReportTest {

  private static Suite suite() {
    return new Suite("export", "Export")
        .add(new Measurement("g", "DSBulk", Measurement.Role.BASELINE, 1000, 10, 20, 400, 3, "x, y"))
        .add(new Measurement("g", "Ringsweep", Measurement.Role.CONTENDER, 1000, 4, 5, 200, 3, ""));
  }

  @Test
  void should_give_speed_up_cpu_and_rss_ratios_against_the_baseline_in_csv() {
    List<String> lines = Report.csv(suite()).lines().toList();
    assertThat(lines.get(0)).isEqualTo(Report.CSV_HEADER);
    assertThat(lines.get(1)).isEqualTo("export,g,DSBulk,true,1000,10.000,100,1.000,1.000,20.00,1.000,400,1.000,3,"
        + "\"x, y\"");
    assertThat(lines.get(2)).isEqualTo("export,g,Ringsweep,false,1000,4.000,250,2.500,0.400,5.00,0.250,200,0.500,3,");
  }

  @Test
  void should_show_speed_ups_in_markdown_and_time_ratios_for_scaling() {
    assertThat(Report.markdown(suite(), List.of("export.png")))
        .contains("| Ringsweep | 1,000 | 4.00 | 250 | 2.50× | 5.0 | 5000.0 | 0.25× | 200 | 0.50× | 3 |  |")
        .contains("![export](export.png)");
    assertThat(Report.markdown(suite().ratio(Suite.Ratio.TIME), List.of()))
        .contains("time ratio").contains("| Ringsweep | 1,000 | 4.00 | 250 | 0.40× |");
  }

  @Test
  void should_read_back_the_csv_it_wrote() {
    Suite back = Report.readCsv("export", Report.csv(suite()));
    assertThat(back.measurements()).isEqualTo(suite().measurements());
  }

  @Test
  void should_leave_figures_that_were_not_measured_blank() {
    Suite s = new Suite("count", "Count")
        .add(new Measurement("g", "SELECT count(*)", Measurement.Role.BASELINE, 10, 2, Double.NaN, Double.NaN, 1, ""));
    assertThat(Report.csv(s).lines().toList().get(1)).isEqualTo("count,g,SELECT count(*),true,10,2.000,5,1.000,1.000,"
        + ",,,,1,");
    assertThat(Report.markdown(s, List.of())).contains("| 1.00× | – | – | – | – | – | 1 |");
  }

  @Test
  void should_keep_the_hand_written_end_of_a_page_it_rewrites() {
    String old = "# Old figures\n\n| a | 1 |\n\n" + Report.HAND_WRITTEN
        + "\n\n## Conditions and earlier runs\n\nNotes.\n";

    String page = Report.keepingHandWritten(old, "# New figures\n\n| a | 2 |\n");

    assertThat(page).isEqualTo("# New figures\n\n| a | 2 |\n\n" + Report.HAND_WRITTEN
        + "\n\n## Conditions and earlier runs\n\nNotes.\n");
    assertThat(Report.keepingHandWritten("# Old figures\n", "# New\n")).isEqualTo("# New\n");
    assertThat(Report.keepingHandWritten(null, "# New\n")).isEqualTo("# New\n");
  }
}

package dev.ringsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuListTest {

  @Test
  void should_parse_numbers_and_ranges_and_print_them_shortest() {
    assertThat(CpuList.parse("0").cpus()).containsExactly(0);
    assertThat(CpuList.parse("4-7").cpus()).containsExactly(4, 5, 6, 7);
    assertThat(CpuList.parse(" 3, 0,1-2,9 ").cpus()).containsExactly(0, 1, 2, 3, 9);
    assertThat(CpuList.parse("3,0,1-2,9")).hasToString("0-3,9");
    assertThat(CpuList.parse("5,1")).hasToString("1,5");
  }

  @Test
  void should_name_the_bad_part_of_a_list() {
    assertThatThrownBy(() -> CpuList.parse("0,a")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid CPU list: '0,a' ('a' is neither a CPU number nor a range such as 4-7)");
    assertThatThrownBy(() -> CpuList.parse("1,")).hasMessage(
        "Invalid CPU list: '1,' ('' is neither a CPU number nor a range such as 4-7)");
    assertThatThrownBy(() -> CpuList.parse("7-4")).hasMessage("Invalid CPU list: '7-4' ('7-4': a range must ascend)");
    assertThatThrownBy(() -> CpuList.parse("4096")).hasMessage(
        "Invalid CPU list: '4096' ('4096': CPU numbers go up to 4095)");
    assertThatThrownBy(() -> CpuList.parse(" ")).hasMessage(
        "Invalid CPU list: ' ' (expected CPU numbers and ranges, e.g. 0 or 4-7 or 0,2-3)");
  }

  @Test
  void should_tell_overlap_and_inclusion() {
    assertThat(CpuList.parse("0-3").overlaps(CpuList.parse("3-5"))).isTrue();
    assertThat(CpuList.parse("0-2").overlaps(CpuList.parse("3-5"))).isFalse();
    assertThat(CpuList.parse("1,3").isWithin(CpuList.parse("0-3"))).isTrue();
    assertThat(CpuList.parse("1,4").isWithin(CpuList.parse("0-3"))).isFalse();
  }

  @Test
  void should_read_the_cpus_this_process_may_use() {
    // Linux only (these machines): /proc/self/status lists at least the CPUs the JVM counts.
    assertThat(CpuList.ofProcess(ProcessHandle.current().pid()))
        .hasValueSatisfying(l -> assertThat(l.cpus()).hasSizeGreaterThanOrEqualTo(
            Runtime.getRuntime().availableProcessors()));
  }
}

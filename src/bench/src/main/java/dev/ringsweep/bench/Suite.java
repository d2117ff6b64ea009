package dev.ringsweep.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What one benchmark suite produced: its measurements (grouped; each group has one baseline), and notes for the
 * report.
 */
final class Suite {

  /** How the report relates a figure to its group's baseline. */
  enum Ratio {
    /** Baseline seconds / seconds: how many times faster (comparisons of tools). */
    SPEED_UP,
    /** Seconds / baseline seconds: how many times longer (scaling with the row count). */
    TIME
  }

  /** Whether the report draws a bar chart per group. */
  enum BarCharts {
    /** A bar chart of rows/s (and one of peak RSS) per group of 2 to 8 cases. */
    PER_GROUP,
    /** None: the suite draws its own charts. */
    NONE
  }

  private final String name;
  private final String title;
  private Ratio ratio = Ratio.SPEED_UP;
  private BarCharts barCharts = BarCharts.PER_GROUP;
  private final List<Measurement> measurements = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Consumer<Path>> extraCharts = new LinkedHashMap<>();

  Suite(String name, String title) {
    this.name = name;
    this.title = title;
  }

  /** Short name, used in file names (e.g. {@code export}). */
  String name() {
    return name;
  }

  String title() {
    return title;
  }

  Ratio ratio() {
    return ratio;
  }

  Suite ratio(Ratio newRatio) {
    this.ratio = newRatio;
    return this;
  }

  BarCharts barCharts() {
    return barCharts;
  }

  Suite barCharts(BarCharts value) {
    this.barCharts = value;
    return this;
  }

  Suite add(Measurement m) {
    measurements.add(m);
    return this;
  }

  Suite note(String text) {
    notes.add(text);
    return this;
  }

  /** Adds a chart of the suite's own making, drawn by {@code draw} into the file it is given. */
  Suite chart(String fileName, Consumer<Path> draw) {
    extraCharts.put(fileName, draw);
    return this;
  }

  /** Charts of the suite's own making, by file name. */
  Map<String, Consumer<Path>> extraCharts() {
    return Collections.unmodifiableMap(extraCharts);
  }

  List<Measurement> measurements() {
    return List.copyOf(measurements);
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  /** The groups, in the order of their first measurement. */
  List<String> groups() {
    return measurements.stream().map(Measurement::group).distinct().toList();
  }

  /** The measurements of one group. */
  List<Measurement> group(String group) {
    return measurements.stream().filter(m -> m.group().equals(group)).toList();
  }

  /** The baseline of a group (its first baseline, or its first measurement if it has none). */
  Measurement baseline(String group) {
    List<Measurement> members = group(group);
    return members.stream().filter(Measurement::isBaseline).findFirst().orElse(members.get(0));
  }
}

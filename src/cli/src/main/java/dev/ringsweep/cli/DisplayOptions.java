package dev.ringsweep.cli;

import picocli.CommandLine.Option;

/** Whether a command draws progress bars (a picocli mixin). */
final class DisplayOptions {

  @Option(names = "--no-progress", description = "Do not draw progress bars (standard error).")
  private boolean noProgress;

  /** Progress bars on standard error, or hidden with {@code --no-progress}. */
  ProgressBars bars() {
    return new ProgressBars(noProgress ? ProgressBars.Display.HIDE : ProgressBars.Display.SHOW, System.err);
  }
}

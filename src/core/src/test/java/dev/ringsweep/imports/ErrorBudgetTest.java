package dev.ringsweep.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ErrorBudgetTest {

  @Test
  void should_be_exceeded_by_one_failure_more_than_the_count() {
    ErrorBudget budget = ErrorBudget.count(5);
    assertThat(budget.isExceeded(5, 5)).isFalse();
    assertThat(budget.isExceeded(6, 1_000_000)).isTrue();
    assertThat(ErrorBudget.count(0).isExceeded(1, 1)).isTrue();
    assertThat(ErrorBudget.unlimited().isExceeded(Long.MAX_VALUE - 1, Long.MAX_VALUE)).isFalse();
  }

  @Test
  void should_compare_a_percentage_with_the_rows_read_so_far_once_there_are_enough() {
    ErrorBudget budget = ErrorBudget.percent(10);
    assertThat(budget.isExceeded(100, 1000)).isFalse();
    assertThat(budget.isExceeded(101, 1000)).isTrue();
    assertThat(budget.isExceeded(5, 5)).isFalse();
    assertThat(budget.isExceeded(999, 999)).isFalse();
  }

  @Test
  void should_compare_a_percentage_with_all_rows_at_the_end() {
    ErrorBudget budget = ErrorBudget.percent(10);
    assertThat(budget.isExceededAtEnd(1, 5)).isTrue();
    assertThat(budget.isExceededAtEnd(1, 10)).isFalse();
    assertThat(budget.isExceededAtEnd(0, 0)).isFalse();
    assertThat(ErrorBudget.count(3).isExceededAtEnd(4, 1_000_000)).isTrue();
  }

  @Test
  void should_reject_invalid_budgets_naming_the_value() {
    assertThatThrownBy(() -> ErrorBudget.count(-1)).hasMessage("Invalid error budget: -1 (must be >= 0)");
    assertThatThrownBy(() -> ErrorBudget.percent(101))
        .hasMessage("Invalid error budget percentage: 101.0 (must be between 0 and 100)");
    assertThatThrownBy(() -> new ErrorBudget(1, 1))
        .hasMessage("Invalid error budget: maxFailed 1, maxPercent 1.0 (exactly one must be >= 0)");
  }
}

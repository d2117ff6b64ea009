package dev.ringsweep.imports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerificationResultTest {

  @Test
  void should_match_when_the_target_grew_by_the_rows_written_and_checksums_agree() {
    VerificationResult ok = new VerificationResult(Verification.COUNT_AND_CHECKSUM, 10, 10, 9, 0, 9, 42L, 42L);
    assertThat(ok.matches()).isTrue();
    assertThat(ok.expectedTargetRows()).hasValue(9);
  }

  @Test
  void should_not_match_when_a_count_or_the_checksum_differs() {
    assertThat(new VerificationResult(Verification.COUNT, 10, 10, 10, 5, 14, null, null).matches()).isFalse();
    assertThat(new VerificationResult(Verification.COUNT, 11, 10, 10, 0, 10, null, null).matches()).isFalse();
    VerificationResult sums = new VerificationResult(Verification.COUNT_AND_CHECKSUM, -1, 3, 3, 0, 3, 1L, 2L);
    assertThat(sums.matches()).isFalse();
    assertThat(sums.describe()).isEqualTo("source ? rows, 3 read, 3 written; target 0 rows before, 3 after "
        + "(expected 3); checksum source 0000000000000001, target 0000000000000002 (MISMATCH)");
  }

  @Test
  void should_explain_a_target_that_grew_by_fewer_or_more_rows_than_were_written() {
    VerificationResult fewer = new VerificationResult(Verification.COUNT, -1, 3, 3, 5, 7, null, null);
    assertThat(fewer.describe()).isEqualTo("source ? rows, 3 read, 3 written; target 5 rows before, 7 after "
        + "(expected 8); 1 row(s) fewer than expected: source rows that share a primary key with each other or with "
        + "rows already in the target overwrite them (an upsert), or rows were deleted meanwhile; import with "
        + "Verification.NONE when overwriting is intended");
    VerificationResult more = new VerificationResult(Verification.COUNT, 3, 3, 3, 0, 5, null, null);
    assertThat(more.describe()).endsWith("; target 0 rows before, 5 after (expected 3); 2 row(s) more than "
        + "expected: something else wrote to the table during the import");
    assertThat(new VerificationResult(Verification.COUNT, 3, 3, 3, 0, 3, null, null).describe())
        .isEqualTo("source 3 rows, 3 read, 3 written; target 0 rows before, 3 after (expected 3)");
  }

  @Test
  void should_match_when_nothing_was_verified() {
    assertThat(VerificationResult.notRun().matches()).isTrue();
    assertThat(VerificationResult.notRun().describe()).isEqualTo("not verified");
  }
}

package dev.ringsweep.internal.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.type.DataTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;


class CoercionsTest {

  @Test
  void should_narrow_integers_with_a_range_check_naming_the_value() {
    assertThat(Coercions.between(DataTypes.INT, DataTypes.TINYINT).apply(127)).isEqualTo((byte) 127);
    assertThat(Coercions.between(DataTypes.BIGINT, DataTypes.SMALLINT).apply(-32768L)).isEqualTo((short) -32768);
    assertThatThrownBy(() -> Coercions.between(DataTypes.INT, DataTypes.TINYINT).apply(300))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid tinyint value: 300 (out of range [-128, 127])");
    assertThatThrownBy(() -> Coercions.between(DataTypes.VARINT, DataTypes.BIGINT)
        .apply(BigInteger.ONE.shiftLeft(63)))
        .hasMessage("Invalid bigint value: 9223372036854775808 (out of range [-9223372036854775808, "
            + "9223372036854775807])");
  }

  @Test
  void should_widen_integers_floats_and_text_families_exactly() {
    assertThat(Coercions.between(DataTypes.TINYINT, DataTypes.VARINT).apply((byte) -3))
        .isEqualTo(BigInteger.valueOf(-3));
    assertThat(Coercions.between(DataTypes.BIGINT, DataTypes.DECIMAL).apply(Long.MAX_VALUE))
        .isEqualTo(new BigDecimal(Long.MAX_VALUE));
    assertThat(Coercions.between(DataTypes.FLOAT, DataTypes.DOUBLE).apply(0.1f)).isEqualTo((double) 0.1f);
    assertThat(Coercions.between(DataTypes.COUNTER, DataTypes.BIGINT).apply(5L)).isEqualTo(5L);
    assertThat(Coercions.between(DataTypes.ASCII, DataTypes.TEXT).apply("a")).isEqualTo("a");
    UUID time = UUID.fromString("e7d3a9a0-0c3f-11ef-9c3d-0800200c9a66");
    assertThat(Coercions.between(DataTypes.TIMEUUID, DataTypes.UUID).apply(time)).isEqualTo(time);
  }

  @Test
  void should_refuse_text_that_is_not_ascii_and_uuids_that_are_not_time_based() {
    assertThatThrownBy(() -> Coercions.between(DataTypes.TEXT, DataTypes.ASCII).apply("é"))
        .hasMessage("Invalid ascii value: 'é' (character 233 at 0 is not ASCII)");
    UUID random = UUID.fromString("123e4567-e89b-42d3-a456-426614174000");
    assertThatThrownBy(() -> Coercions.between(DataTypes.UUID, DataTypes.TIMEUUID).apply(random))
        .hasMessage("Invalid timeuuid value: 123e4567-e89b-42d3-a456-426614174000 (version 4, must be 1)");
  }

  @Test
  void should_allow_no_conversion_that_changes_meaning() {
    assertThat(Coercions.between(DataTypes.TEXT, DataTypes.INT)).isNull();
    assertThat(Coercions.between(DataTypes.DOUBLE, DataTypes.FLOAT)).isNull();
    assertThat(Coercions.between(DataTypes.DECIMAL, DataTypes.BIGINT)).isNull();
    assertThat(Coercions.between(DataTypes.TIMESTAMP, DataTypes.DATE)).isNull();
    assertThat(Coercions.between(DataTypes.BLOB, DataTypes.TEXT)).isNull();
  }

}

package org.seq4j.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CasingTest {

    @Test
    void classesFollowReimersAndGurevychsRulesInOrder() {
        assertThat(Casing.of("1984")).isEqualTo(Casing.NUMERIC);
        assertThat(Casing.of("٣٤")).as("any decimal digits").isEqualTo(Casing.NUMERIC);
        assertThat(Casing.of("3.14")).isEqualTo(Casing.MAINLY_NUMERIC);
        assertThat(Casing.of("1,000")).isEqualTo(Casing.MAINLY_NUMERIC);
        assertThat(Casing.of("house")).isEqualTo(Casing.ALL_LOWER);
        assertThat(Casing.of("well-known")).isEqualTo(Casing.ALL_LOWER);
        assertThat(Casing.of("4th")).as("a letter and no capital, before contains-digit").isEqualTo(Casing.ALL_LOWER);
        assertThat(Casing.of("élan")).isEqualTo(Casing.ALL_LOWER);
        assertThat(Casing.of("NATO")).isEqualTo(Casing.ALL_UPPER);
        assertThat(Casing.of("U.S.")).isEqualTo(Casing.ALL_UPPER);
        assertThat(Casing.of("A")).isEqualTo(Casing.ALL_UPPER);
        assertThat(Casing.of("Paris")).isEqualTo(Casing.INITIAL_UPPER);
        assertThat(Casing.of("McDonald")).isEqualTo(Casing.INITIAL_UPPER);
        assertThat(Casing.of("Éire")).isEqualTo(Casing.INITIAL_UPPER);
        assertThat(Casing.of("b4A")).isEqualTo(Casing.CONTAINS_DIGIT);
        assertThat(Casing.of("#2")).as("half digits is not more than half").isEqualTo(Casing.CONTAINS_DIGIT);
        assertThat(Casing.of("iPhone")).isEqualTo(Casing.OTHER);
        assertThat(Casing.of(",")).isEqualTo(Casing.OTHER);
        assertThat(Casing.of("--")).isEqualTo(Casing.OTHER);
        assertThat(Casing.of("")).isEqualTo(Casing.OTHER);
    }
}

package org.seq4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The corpus of malformed inputs under {@code src/test/resources/bad-input}: each gives a clear error naming the file,
 * the line and what was expected; the inputs under {@code good-input} that look unusual are handled as documented.
 */
class BadInputTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated-line.csv|truncated-line.csv:4: expected 2 fields like the header [date, value], got 1",
        "wrong-column-count.csv|wrong-column-count.csv:3: expected 2 fields like the header [date, value], got 3",
        "non-numeric.csv|non-numeric.csv:3: column 'value': expected a number, got 'n/a'",
        "nan.csv|nan.csv:2: column 'value': expected a finite number, got 'NaN'",
        "inf.csv|inf.csv:3: column 'value': expected a finite number, got 'Infinity'",
        "empty.csv|empty.csv: empty file: expected a header row and data rows",
        "header-only.csv|header-only.csv: no data rows after the header [date, value]",
        "invalid-utf8.csv|invalid-utf8.csv:4: invalid UTF-8 bytes",
    })
    void malformedCsvSeries(String file, String message) {
        assertThatThrownBy(() -> SeriesCsv.readSingle(Resources.path("bad-input/" + file), "date", "value"))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void longFormatOutOfOrder() {
        assertThatThrownBy(() -> SeriesCsv.readLong(Resources.path("bad-input/long-out-of-order.csv"),
                "series_id", "t", "value"))
                .hasMessageContaining("long-out-of-order.csv:4: series 'A': time '2' does not come after '3' (line 3)");
    }

    @Test
    void missingColumnListsTheColumns() {
        assertThatThrownBy(() -> SeriesCsv.readSingle(Resources.path("good-input/long.csv"), "date", "value"))
                .hasMessageContaining("long.csv:1: no column 'date'; the columns are [series_id, t, value]");
    }

    @Test
    void raggedAndEmptyConll() {
        assertThatThrownBy(() -> ConllReader.read(Resources.path("bad-input/ragged.conll"), 0, -1))
                .hasMessageContaining("ragged.conll:4: expected 3 columns like the first token line, got 2: 'sat VBD'");
        assertThatThrownBy(() -> ConllReader.read(Resources.path("bad-input/empty.conll"), 0, -1))
                .hasMessageContaining("empty.conll: no sentences");
        assertThatThrownBy(() -> ConllReader.read(Resources.path("good-input/tagged.conll"), 0, 5))
                .hasMessageContaining("tagged.conll:3: token column 0 and label column 5 (0-based) need at least 6 "
                        + "columns, got 3");
    }

    @Test
    void vocabularyFiles() {
        assertThatThrownBy(() -> Vocabulary.load(Resources.path("bad-input/vocab-duplicates.txt")))
                .hasMessageContaining("vocab-duplicates.txt:7: duplicate token 'the' (first on line 5)");
        assertThatThrownBy(() -> Vocabulary.load(Resources.path("bad-input/vocab-no-reserved.txt")))
                .hasMessageContaining("vocab-no-reserved.txt:1: expected reserved token '<pad>'");
    }

    @Test
    void parallelTextWithAnEmptySide() {
        assertThatThrownBy(() -> ParallelText.readTsv(Resources.path("bad-input/parallel-missing-side.tsv"), true, 0, 1))
                .hasMessageContaining("parallel-missing-side.tsv:3: empty target sentence");
    }

    @Test
    void emptySequencesAreRejectedWhenBatching() {
        assertThatThrownBy(() -> Batching.batches(new int[] {3, 0, 2}, 2, new int[0], 1))
                .hasMessageContaining("example 1 is empty (length 0)");
        assertThatThrownBy(() -> Batching.batches(new int[] {3, 9}, 2, new int[] {4, 8}, 1))
                .hasMessageContaining("example 1 has length 9, longer than the largest bucket bound 8");
    }

    @Test
    void bomCrlfGzipAndOneStepAreHandled() {
        Series s = SeriesCsv.readSingle(Resources.path("good-input/bom-crlf.csv"), "date", "value");
        assertThat(s.timestamps()).containsExactly("2020-01", "2020-02");
        assertThat(s.values()).containsExactly(1.5, 2.5);
        List<Series> gz = SeriesCsv.readWide(Resources.path("good-input/series.csv.gz"), "date", List.of("value"),
                List.of("temp"));
        assertThat(gz.get(0).values()).containsExactly(1, 2, 3);
        assertThat(gz.get(0).covariates().get("temp")).containsExactly(10, 11, 12);
        assertThat(SeriesCsv.readSingle(Resources.path("good-input/one-step.csv"), "date", "value").values())
                .containsExactly(7);
    }

    @Test
    void aDirectoryAnUnreadableFileAndAMissingOneAreEachSaidAsSuch(@org.junit.jupiter.api.io.TempDir
                                                                       java.nio.file.Path dir) throws Exception {
        assertThatThrownBy(() -> TextLines.forEach(dir, (n, l) -> { }))
                .hasMessage(dir + ": is a directory, expected a file");
        assertThatThrownBy(() -> TextLines.forEach(dir.resolve("nope.txt"), (n, l) -> { }))
                .hasMessage(dir.resolve("nope.txt") + ": no such file");
        java.nio.file.Path locked = dir.resolve("locked.txt");
        java.nio.file.Files.writeString(locked, "x\n");
        java.nio.file.Files.setPosixFilePermissions(locked, java.util.Set.of());
        if (!java.nio.file.Files.isReadable(locked)) {   // root reads anything: the check only applies to other users
            assertThatThrownBy(() -> TextLines.forEach(locked, (n, l) -> { })).hasMessageContaining("permission denied");
        }
    }

    @Test
    void anInfiniteLearningRateIsRefused() {
        assertThatThrownBy(() -> org.seq4j.train.TrainConfig.defaults().withOptimizer(
                org.seq4j.train.TrainConfig.Optimizer.ADAM, Double.POSITIVE_INFINITY))
                .hasMessageContaining("learningRate must be a finite number > 0, got Infinity");
        assertThatThrownBy(() -> org.seq4j.train.TrainConfig.defaults().withOptimizer(
                org.seq4j.train.TrainConfig.Optimizer.SGD, Double.NaN))
                .hasMessageContaining("got NaN");
    }

    @Test
    void atomicallyWrittenFilesGetTheUsualPermissions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = dir.resolve("report.md");
        org.seq4j.util.AtomicFiles.writeString(f, "# report\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
        assertThat(java.nio.file.Files.readString(f)).isEqualTo("# report\n");
        // what a killed writer left behind is cleaned by the next write of the same file, and nothing else
        java.nio.file.Path stale = dir.resolve(".report.md12345.tmp");
        java.nio.file.Path other = dir.resolve(".other.md1.tmp");
        java.nio.file.Files.writeString(stale, "partial");
        java.nio.file.Files.writeString(other, "partial");
        org.seq4j.util.AtomicFiles.writeString(f, "# again\n");
        assertThat(stale).doesNotExist();
        assertThat(other).exists();
    }

    @Test
    void aHugeFieldOrNulBytesAreClippedAndEscapedInTheMessage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path big = dir.resolve("big.csv");
        java.nio.file.Files.writeString(big, "date,value\n2020-01,1\n2020-02," + "9x".repeat(500_000) + "\n");
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> SeriesCsv.readSingle(big, "date", "value"));
        assertThat(e).hasMessageContaining("big.csv:3: column 'value': expected a number, got '9x9x")
                .hasMessageContaining("(1000000 chars)");
        assertThat(e.getMessage().length()).isLessThan(300);
        java.nio.file.Path nul = dir.resolve("nul.csv");
        java.nio.file.Files.writeString(nul, "date,value\n2020-01,\u0000\u0000\u0000\n");
        assertThatThrownBy(() -> SeriesCsv.readSingle(nul, "date", "value"))
                .hasMessageContaining("nul.csv:2: column 'value'").hasMessageNotContaining("\u0000");
        assertThat(org.seq4j.util.Checks.quote("\u0000".repeat(4096))).startsWith("'\\x00\\x00")
                .endsWith("…' (4096 chars)").hasSizeLessThan(300);
        assertThat(org.seq4j.util.Checks.quote("a\tb")).isEqualTo("'a\\x09b'");
    }

    @Test
    void wideFilesRejectRepeatedOrBackwardTimesAndHugeValues(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path dup = dir.resolve("dup.csv");
        java.nio.file.Files.writeString(dup, "date,value\n2020-01,1\n2020-02,2\n2020-02,3\n");
        assertThatThrownBy(() -> SeriesCsv.readSingle(dup, "date", "value"))
                .hasMessage(dup + ":4: column 'date': time '2020-02' does not come after '2020-02' (line 3); rows must "
                        + "be in increasing time order without repeats");
        java.nio.file.Path back = dir.resolve("back.csv");
        java.nio.file.Files.writeString(back, "date,value\n2020-01-03,1\n2020-01-02,2\n");
        assertThatThrownBy(() -> SeriesCsv.readSingle(back, "date", "value"))
                .hasMessageContaining(back + ":3: column 'date': time '2020-01-02' does not come after '2020-01-03'");
        // a format whose text order is not time order is checked for repeats only
        java.nio.file.Path us = dir.resolve("us.csv");
        java.nio.file.Files.writeString(us, "date,value\n9/30/2020,1\n10/1/2020,2\n");
        assertThat(SeriesCsv.readSingle(us, "date", "value").values()).containsExactly(1, 2);
        java.nio.file.Path huge = dir.resolve("huge.csv");
        java.nio.file.Files.writeString(huge, "date,value\n2020-01,1e300\n2020-02,2e300\n");
        assertThatThrownBy(() -> SeriesCsv.readSingle(huge, "date", "value"))
                .hasMessageContaining(huge + ":2: column 'value': 1.0E300 is beyond ±1e100");
    }
}

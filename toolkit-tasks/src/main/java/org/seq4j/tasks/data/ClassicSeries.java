package org.seq4j.tasks.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import org.seq4j.data.CsvTable;
import org.seq4j.data.Series;
import org.seq4j.data.SeriesCsv;

/**
 * Seven classic series bundled with seq4j, from R's {@code datasets} package (R 4.2.2, GPL-2; docs/data.md): each a
 * CSV {@code date,value}.
 */
public final class ClassicSeries {

    /** The bundled series and their season lengths. */
    public enum Name {
        AirPassengers(12), ldeaths(12), USAccDeaths(12), LakeHuron(1), JohnsonJohnson(4), WWWusage(1), austres(4);

        private final int season;

        Name(int season) {
            this.season = season;
        }

        public int season() {
            return season;
        }
    }

    private ClassicSeries() {
    }

    public static Series load(Name name) {
        String resource = "/org/seq4j/tasks/data/classic/" + name + ".csv";
        try (InputStream in = ClassicSeries.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Bundled series " + resource + " is missing from the jar");
            }
            CsvTable t = CsvTable.read(in, Path.of("classic", name + ".csv"));
            Series s = SeriesCsv.readWide(t, "date", List.of("value"), List.of()).get(0);
            return new Series(name.name(), s.timestamps(), s.values(), s.covariates());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The series named {@code name} (case-insensitive), or an error listing the names. */
    public static Name parse(String name) {
        for (Name n : Name.values()) {
            if (n.name().equalsIgnoreCase(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("No bundled series '" + name + "'; bundled: "
                + java.util.Arrays.toString(Name.values()));
    }
}

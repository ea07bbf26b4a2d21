package org.seq4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.seq4j.train.RunInfo;
import org.seq4j.util.AtomicFiles;

/** Markdown and JSON reports: provenance header, then tables; written atomically. */
public final class Report {

    /** Pretty JSON; a number that is not finite (an undefined MASE, no interval coverage) is written as null. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                    .addSerializer(Double.class, new NonFiniteAsNull())
                    .addSerializer(double.class, new NonFiniteAsNull()));

    private static final class NonFiniteAsNull extends com.fasterxml.jackson.databind.JsonSerializer<Double> {
        @Override
        public void serialize(Double v, com.fasterxml.jackson.core.JsonGenerator g,
                              com.fasterxml.jackson.databind.SerializerProvider p) throws java.io.IOException {
            if (v == null || !Double.isFinite(v)) {
                g.writeNull();
            } else {
                g.writeNumber(v);
            }
        }
    }

    private final String title;
    private final RunInfo runInfo;
    private final StringBuilder body = new StringBuilder();
    private final Map<String, Object> data = new LinkedHashMap<>();

    public Report(String title, RunInfo runInfo) {
        this.title = title;
        this.runInfo = runInfo;
        data.put("runInfo", runInfo);
    }

    public Report paragraph(String text) {
        body.append(text).append("\n\n");
        return this;
    }

    /** A markdown table; numbers are printed as given (format them before). */
    public Report table(List<String> header, List<List<String>> rows) {
        body.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            body.append(i == 0 ? "---|" : "---:|");
        }
        body.append('\n');
        for (List<String> r : rows) {
            body.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        body.append('\n');
        return this;
    }

    /** Adds a value to the JSON report. */
    public Report data(String key, Object value) {
        data.put(key, value);
        return this;
    }

    public String markdown() {
        return "# " + title + "\n\n" + runInfo.toMarkdown() + "\n" + body;
    }

    /** Writes {@code name.md} and {@code name.json} into {@code dir}. */
    public List<Path> write(Path dir, String name) {
        List<Path> written = new ArrayList<>();
        Path md = dir.resolve(name + ".md");
        AtomicFiles.writeString(md, markdown());
        written.add(md);
        Path json = dir.resolve(name + ".json");
        try {
            AtomicFiles.writeString(json, JSON.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize report " + name, e);
        }
        written.add(json);
        return written;
    }

    /** Formats with the ROOT locale (a decimal point everywhere). */
    public static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}

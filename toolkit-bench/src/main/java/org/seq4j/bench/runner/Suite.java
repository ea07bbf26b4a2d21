package org.seq4j.bench.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.seq4j.util.Checks;

/**
 * A benchmark suite: scenarios (a task on a dataset with options) × variants (cell, units, attention, form) × seeds.
 * Read from JSON: a bundled suite by name ({@link #BUNDLED}) or a file. The format:
 *
 * <pre>{@code
 * {"name": "...", "description": "...", "seeds": [1, 2, 3],
 *  "scenarios": [{"name": "adding", "task": "adding", "title": "Adding problem, T = 50",
 *                 "dataset": "adding", "options": {"steps": 50, "epochs": 5},
 *                 "variants": [{"cell": "lstm", "units": 32}, {"cell": "scrn", "units": 32, "form": "samediff"}]}]}
 * }</pre>
 *
 * A dataset may start with {@code ${data}/}: the runner's data directory (datasets that are not bundled); a scenario
 * whose data is not there is skipped and the report says so.
 */
public record Suite(String name, String description, List<Long> seeds, List<Scenario> scenarios) {

    /** The suites in the jar: seconds-long smoke, the default (about half an hour on 2 cores), full. */
    public static final Set<String> BUNDLED = Set.of("smoke", "default", "full");

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /**
     * One scenario: a task on a dataset.
     *
     * @param name     its id, unique in the suite
     * @param task     adding, copy-memory, lm, tag, forecast, translate
     * @param title    a heading for the report
     * @param dataset  what the task reads
     * @param options  task options, the same for every variant
     * @param variants the models compared
     */
    public record Scenario(String name, String task, String title, String dataset, Map<String, Object> options,
                           List<Map<String, Object>> variants) {
    }

    /** One training run: a scenario's variant with one seed. */
    public record Run(Scenario scenario, Map<String, Object> variant, long seed) {

        /**
         * The variant's label in tables: its {@code label}, or its cell and units as a {@code RecurrentSpec} labels
         * them ({@code bigru-32}) followed by its other settings.
         */
        public String label() {
            Object l = variant.get("label");
            if (l != null) {
                return l.toString();
            }
            List<String> parts = new ArrayList<>();
            if (variant.containsKey("cell")) {
                parts.add((Boolean.TRUE.equals(variant.get("bidirectional")) ? "bi" : "") + variant.get("cell")
                        + (variant.containsKey("units") ? "-" + variant.get("units") : ""));
            }
            variant.forEach((k, v) -> {
                if (!Set.of("cell", "units", "bidirectional").contains(k)) {
                    parts.add(k + "=" + v);
                }
            });
            return String.join(" ", parts);
        }

        /**
         * What decides the result, as canonical JSON: task, dataset, options, variant, seed and the seq4j version.
         * Runs with the same key give the same numbers, so a result is cached under its hash.
         */
        public String key(String seq4jVersion) {
            Map<String, Object> k = new TreeMap<>();
            k.put("task", scenario.task());
            k.put("dataset", scenario.dataset());
            k.put("options", new TreeMap<>(scenario.options() == null ? Map.of() : scenario.options()));
            Map<String, Object> v = new TreeMap<>(variant);
            v.remove("label");   // a display name changes no number
            k.put("variant", v);
            k.put("seed", seed);
            k.put("seq4j", seq4jVersion);
            try {
                return JSON.writeValueAsString(k);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The first 16 hex digits of the key's SHA-256: the cached result's file name. */
        public String hash(String seq4jVersion) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(key(seq4jVersion)
                        .getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(d).substring(0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public Suite {
        Checks.require(name != null && !name.isBlank(), "suite: 'name' is missing");
        Checks.require(seeds != null && !seeds.isEmpty(), "suite %s: 'seeds' must list at least one seed", name);
        Checks.require(scenarios != null && !scenarios.isEmpty(), "suite %s: 'scenarios' is empty", name);
        Set<String> names = new java.util.HashSet<>();
        for (Scenario s : scenarios) {
            Checks.require(s.name() != null && !s.name().isBlank(), "suite %s: a scenario has no 'name'", name);
            Checks.require(names.add(s.name()), "suite %s: two scenarios are named '%s'", name, s.name());
            Checks.require(ScenarioRunner.TASKS.contains(s.task()), "suite %s, scenario %s: unknown task '%s'; "
                    + "expected one of %s", name, s.name(), s.task(), ScenarioRunner.TASKS);
            Checks.require(s.variants() != null && !s.variants().isEmpty(), "suite %s, scenario %s: 'variants' is "
                    + "empty", name, s.name());
            Set<String> labels = new java.util.HashSet<>();
            for (Map<String, Object> v : s.variants()) {
                String label = new Run(s, v, 0).label();
                Checks.require(labels.add(label), "suite %s, scenario %s: two variants are labelled '%s'; give one a "
                        + "\"label\"", name, s.name(), label);
            }
        }
        description = description == null ? "" : description;
        seeds = List.copyOf(seeds);
        scenarios = List.copyOf(scenarios);
    }

    /** Every run, scenario by scenario, variant by variant, seed by seed. */
    public List<Run> runs() {
        List<Run> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            for (Map<String, Object> v : s.variants()) {
                for (long seed : seeds) {
                    out.add(new Run(s, new LinkedHashMap<>(v), seed));
                }
            }
        }
        return out;
    }

    /** This suite with other seeds. */
    public Suite withSeeds(List<Long> other) {
        return new Suite(name, description, other, scenarios);
    }

    /** This suite with only the scenarios named. */
    public Suite only(List<String> scenarioNames) {
        List<Scenario> kept = scenarios.stream().filter(s -> scenarioNames.contains(s.name())).toList();
        Checks.require(kept.size() == scenarioNames.size(), "suite %s has no scenario named %s; it has %s", name,
                scenarioNames.stream().filter(n -> scenarios.stream().noneMatch(s -> s.name().equals(n))).toList(),
                scenarios.stream().map(Scenario::name).toList());
        return new Suite(name, description, seeds, kept);
    }

    /** A bundled suite by name, or a JSON file. */
    public static Suite load(String nameOrFile) {
        if (BUNDLED.contains(nameOrFile)) {
            String resource = "/org/seq4j/bench/suites/" + nameOrFile + ".json";
            try (InputStream in = Suite.class.getResourceAsStream(resource)) {
                Checks.requireState(in != null, "bundled suite %s is missing from the jar", resource);
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled suite " + nameOrFile);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read bundled suite " + nameOrFile, e);
            }
        }
        Path file = Path.of(nameOrFile);
        Checks.require(Files.isRegularFile(file), "--suite %s: not a bundled suite %s and no such file",
                nameOrFile, new java.util.TreeSet<>(BUNDLED));
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read suite " + file + ": " + e.getMessage(), e);
        }
    }

    static Suite parse(String json, String where) {
        try {
            return JSON.readValue(json, Suite.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
            if (cause != null) {
                throw new IllegalArgumentException(where + ": " + cause.getMessage(), e);
            }
            throw new IllegalArgumentException(where + ": not a valid suite (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage(), e);
        }
    }
}

// Puts the test BLEU by source length of several `seq4j translate train` runs into one PNG and a Markdown table
// (Bahdanau et al. 2015, Fig. 2, in small). Usage:
// (each RUNS entry: a `translate train` --out directory, or a `translate eval` --out directory)
//   RUNS="out/with-attention out/without" OUT=out/compare.png \
//     jshell --class-path toolkit-bench/target/toolkit-bench.jar toolkit-bench/scripts/translate-compare.jsh
import java.nio.file.*;
import java.util.*;
import com.fasterxml.jackson.databind.*;
import org.seq4j.tasks.translate.*;

var mapper = new ObjectMapper();
Map<String, List<Translator.LengthBucket>> series = new LinkedHashMap<>();
StringBuilder table = new StringBuilder("| run | test BLEU (beam) | chrF | shortest third | middle third | longest third |\n|---|---:|---:|---:|---:|---:|\n");
for (String dir : System.getenv("RUNS").trim().split("\\s+")) {
    Path f = Files.exists(Path.of(dir, "test-metrics.json")) ? Path.of(dir, "test-metrics.json") : Path.of(dir, "eval-metrics.json");
    JsonNode j = mapper.readTree(f.toFile());
    JsonNode scores = j.path("test").has("beam") ? j.path("test").path("beam") : j.path("test");
    String label = j.path("label").asText(dir);
    List<Translator.LengthBucket> b = new ArrayList<>();
    for (JsonNode x : j.path("bleuByLengthSixths")) {
        b.add(new Translator.LengthBucket(x.path("minLength").asInt(), x.path("maxLength").asInt(), x.path("sentences").asInt(), x.path("bleu").asDouble()));
    }
    series.put(label, b);
    table.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f |", label, scores.path("bleu").asDouble(), scores.path("chrF").asDouble()));
    for (JsonNode x : j.path("bleuByLength")) {
        table.append(String.format(Locale.ROOT, " %.2f (%d–%d) |", x.path("bleu").asDouble(), x.path("minLength").asInt(), x.path("maxLength").asInt()));
    }
    table.append('\n');
}
TranslationPlots.bleuByLength(Path.of(System.getenv("OUT")), "test BLEU by source length", series);
System.out.print(table);
System.out.println("wrote " + System.getenv("OUT"));
/exit

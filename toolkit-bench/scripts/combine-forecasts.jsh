// Scores the equal-weight combination of network forecast files (as `seq4j m3` / `seq4j m4` write them:
// id,F1..Fh) with per-series statistical methods, on M3 or M4 data, without retraining anything: the network
// alone, each method alone, the median of the network files (when several are given), and the mean of the network
// (or that median) with the methods. Usage:
//   DATA=m3 DIR=../shared/data/forecasting/m3 FREQ=quarterly FILES="out/a/m3-quarterly-forecasts.csv" \
//   METHODS="theta,m4-damped" jshell --class-path "toolkit-bench/target/toolkit-bench.jar:toolkit-bench/target/lib/*" \
//     toolkit-bench/scripts/combine-forecasts.jsh
//   DATA=m4 TRAIN=.../Weekly-train.csv.gz TEST=.../Weekly-test.csv FREQ=weekly FILES="s42.csv s1.csv s2.csv" ...
import java.nio.file.*;
import java.util.*;
import org.seq4j.tasks.data.M3;
import org.seq4j.tasks.data.M4;
import org.seq4j.tasks.forecast.*;

String data = System.getenv().getOrDefault("DATA", "m3");
String freq = System.getenv("FREQ");
List<M3.Entry> entries = data.equals("m4") ? M4.load(Path.of(System.getenv("TRAIN")), Path.of(System.getenv("TEST")), M4.Frequency.valueOf(freq.toUpperCase(Locale.ROOT))) : M3.load(Path.of(System.getenv("DIR")), freq);
int h = entries.get(0).horizon();
int m = entries.get(0).period();
List<Map<String, double[]>> nets = new ArrayList<>();
for (String file : System.getenv("FILES").trim().split("\\s+")) {
    Map<String, double[]> f = new HashMap<>();
    List<String> lines = Files.readAllLines(Path.of(file));
    for (String line : lines.subList(1, lines.size())) {
        String[] p = line.split(",");
        double[] v = new double[h];
        for (int i = 0; i < h; i++) v[i] = Double.parseDouble(p[i + 1]);
        f.put(p[0], v);
    }
    nets.add(f);
}
List<ForecastMethod> methods = new ArrayList<>();
for (String name : System.getenv().getOrDefault("METHODS", "theta,m4-damped").split(",")) methods.add(Baselines.named(name, m));
Map<String, Map<String, double[]>> fs = new LinkedHashMap<>();
ForecastMethod naive2 = Baselines.naive2(m);
fs.put("naive2", new HashMap<>());
for (int k = 0; k < nets.size(); k++) fs.put("network " + (k + 1), nets.get(k));
Map<String, double[]> net = nets.get(0);
if (nets.size() > 1) {
    net = new HashMap<>();
    for (var e : entries) {
        String id = e.train().id();
        double[] med = new double[h];
        for (int i = 0; i < h; i++) {
            double[] col = new double[nets.size()];
            for (int k = 0; k < col.length; k++) col[k] = nets.get(k).get(id)[i];
            Arrays.sort(col);
            int n = col.length;
            med[i] = n % 2 == 1 ? col[n / 2] : (col[n / 2 - 1] + col[n / 2]) / 2;
        }
        net.put(id, med);
    }
    fs.put("median of the networks", net);
}
for (ForecastMethod f : methods) fs.put(f.name(), new HashMap<>());
String combName = "mean of " + (nets.size() > 1 ? "median" : "network") + ", " + String.join(", ", methods.stream().map(ForecastMethod::name).toList());
String methodsOnly = "mean of " + String.join(", ", methods.stream().map(ForecastMethod::name).toList()) + " (no network)";
if (methods.size() > 1) fs.put(methodsOnly, new HashMap<>());
fs.put(combName, new HashMap<>());
for (int k = 0; k < nets.size() && nets.size() > 1; k++) fs.put("mean of network " + (k + 1) + ", methods", new HashMap<>());
for (var e : entries) {
    String id = e.train().id();
    double[] y = e.train().values();
    fs.get("naive2").put(id, naive2.forecast(y, h));
    double[] sum = new double[h];
    for (ForecastMethod f : methods) {
        double[] g = f.forecast(y, h);
        fs.get(f.name()).put(id, g);
        for (int i = 0; i < h; i++) sum[i] += g[i];
    }
    if (methods.size() > 1) {
        double[] mo = new double[h];
        for (int i = 0; i < h; i++) mo[i] = sum[i] / methods.size();
        fs.get(methodsOnly).put(id, mo);
    }
    double[] c = new double[h];
    for (int i = 0; i < h; i++) c[i] = (sum[i] + net.get(id)[i]) / (methods.size() + 1);
    fs.get(combName).put(id, c);
    for (int k = 0; k < nets.size() && nets.size() > 1; k++) {
        double[] ck = new double[h];
        for (int i = 0; i < h; i++) ck[i] = (sum[i] + nets.get(k).get(id)[i]) / (methods.size() + 1);
        fs.get("mean of network " + (k + 1) + ", methods").put(id, ck);
    }
}
var r = Backtest.score(entries.stream().map(M3.Entry::full).toList(), Backtest.Setup.horizon(h).season(m), fs);
System.out.println("| forecast | sMAPE | MASE | OWA |\n|---|---:|---:|---:|");
for (var row : r.rows()) System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", row.method(), row.smape(), row.mase(), r.owa(row.method()));
/exit

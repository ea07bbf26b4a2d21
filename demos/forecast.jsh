// seq4j walkthrough: forecasting AirPassengers with a GRU, against the classical baselines.
// Run it with:  demos/run.sh forecast        (smoke version: SEQ4J_SMOKE=1 demos/run.sh forecast)

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.data.Series;
import org.seq4j.metrics.ForecastMetric;
import org.seq4j.tasks.data.ClassicSeries;
import org.seq4j.tasks.forecast.*;
import org.seq4j.train.TrainConfig;

boolean smoke = System.getenv("SEQ4J_SMOKE") != null;

// ## 1. The data: 144 monthly totals of international airline passengers (thousands), 1949–1960, bundled with seq4j.
Series air = ClassicSeries.load(ClassicSeries.Name.AirPassengers);
Series history = air.head(132);
double[] actual = Arrays.copyOfRange(air.values(), 132, 144);
System.out.println(air.id() + ": " + air.length() + " months, " + air.timestamps().get(0) + " to " + air.timestamps().get(143));

// ## 2. The baselines, each a one-liner: naive, seasonal naive, drift, Naive2, SES, Theta (season m = 12).
for (ForecastMethod b : Baselines.all(12)) {
    double[] f = b.forecast(history.values(), 12);
    System.out.printf("%-8s sMAPE %6.2f  MASE %.3f%n", b.name(), ForecastMetric.SMAPE.of(history.values(), 12, actual, f), ForecastMetric.MASE.of(history.values(), 12, actual, f));
}

// ## 3. A GRU forecaster: 24 months in, 12 out at once (direct), 10/50/90% quantiles (pinball loss), each window in
// log space relative to its own level (window normalization), so trend and seasonality scale together.
var train = TrainConfig.defaults().withEpochs(smoke ? 2 : 150).withOptimizer(TrainConfig.Optimizer.ADAM, 0.005).withSeed(42).withQuiet(true);
var config = ForecastConfig.of(RecurrentSpec.of("gru", 32), 24, 12, train).
        withQuantiles(List.of(0.1, 0.5, 0.9)).
        withNormalization(ForecastConfig.Normalization.WINDOW).
        withBatchSize(16);
var forecaster = new Forecaster(config);
forecaster.fit(List.of(history));
Forecast f = forecaster.predict(history);
double smape = ForecastMetric.SMAPE.of(history.values(), 12, actual, f.point());
System.out.printf("%-8s sMAPE %6.2f  MASE %.3f%n", forecaster.name(), smape, ForecastMetric.MASE.of(history.values(), 12, actual, f.point()));
for (int h = 0; h < 12; h++) {
    System.out.printf("  %s  actual %5.0f  forecast %5.0f  [%5.0f, %5.0f]%n", air.timestamps().get(132 + h), actual[h], f.point()[h], f.lower()[h], f.upper()[h]);
}

// ## 4. A picture: history, the held-out year and the forecast with its 80% interval.
Path png = Path.of("out", "demos", "airpassengers.png");
ForecastPlot.writePng(png, "AirPassengers: GRU forecast", history.values(), actual, f);
System.out.println("plot written to " + png.toAbsolutePath());
boolean ordered = true;
for (int h = 0; h < 12; h++) ordered &= f.lower()[h] <= f.point()[h] && f.point()[h] <= f.upper()[h];
System.out.println("check quantiles ordered at every step: " + (ordered ? "ok" : "FAILED"));
System.out.println("check sMAPE is finite: " + (Double.isFinite(smape) ? "ok" : "FAILED"));
System.out.println("DEMO OK");
/exit

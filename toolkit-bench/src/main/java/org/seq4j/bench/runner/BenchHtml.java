package org.seq4j.bench.runner;

import java.util.List;
import java.util.Map;

/**
 * The bench report as one self-contained HTML page: inline CSS, inline SVG charts, a few lines of script that sort a
 * table by the column clicked; nothing loaded from the network. Every number cell carries its raw value
 * ({@code data-value}) and what it is ({@code data-metric}: scenario / variant / field), so a test can hold the
 * page to report.json.
 */
final class BenchHtml {

    private BenchHtml() {
    }

    static String render(BenchReport report) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>seq4j bench: ").append(esc(report.suite().name())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        b.append("<h1>seq4j bench: ").append(esc(report.suite().name())).append("</h1>\n");
        if (!report.suite().description().isBlank()) {
            b.append("<p class=\"lead\">").append(esc(report.suite().description())).append("</p>\n");
        }
        b.append("<details class=\"machine\" open><summary>Machine, versions, seeds</summary>\n<table class=\"kv\">\n");
        Map<String, Object> info = org.seq4j.bench.Report.JSON.convertValue(report.runInfo(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        info.remove("seed");
        info.forEach((k, v) -> b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(String.valueOf(v)))
                .append("</td></tr>\n"));
        b.append("<tr><th>seeds</th><td>").append(esc(report.suite().seeds().toString())).append("</td></tr>\n");
        b.append("</table>\n<p>Quality is the mean ± standard deviation over seeds, each seed's value beside it. "
                + "Times are wall-clock on this machine: compare rows, not machines. Click a column to sort."
                + "</p>\n</details>\n");
        b.append("<nav><ul>\n");
        for (BenchReport.Scenario s : report.scenarios()) {
            b.append("<li><a href=\"#").append(anchor(s.name())).append("\">").append(esc(s.title()))
                    .append("</a></li>\n");
        }
        b.append("</ul></nav>\n");
        for (BenchReport.Scenario s : report.scenarios()) {
            scenario(b, s);
        }
        b.append("</main>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void scenario(StringBuilder b, BenchReport.Scenario s) {
        b.append("<section id=\"").append(anchor(s.name())).append("\">\n<h2>").append(esc(s.title()))
                .append("</h2>\n<p class=\"meta\">task <code>").append(esc(s.task())).append("</code> on <code>")
                .append(esc(s.dataset())).append("</code>; options <code>").append(esc(String.valueOf(s.options())))
                .append("</code>");
        if (s.variants().isEmpty()) {
            b.append(". No run finished.</p>\n");
        } else {
            b.append("; scored on the ").append(esc(s.split())).append(" split. Best: <strong>")
                    .append(esc(s.best())).append("</strong>.</p>\n");
            List<String> h = BenchReport.header(s);
            b.append("<div class=\"scroll\"><table class=\"results sortable\">\n<thead><tr>");
            for (int i = 0; i < h.size(); i++) {
                b.append("<th").append(i == 0 ? "" : " class=\"num\"").append(">").append(esc(h.get(i)))
                        .append("</th>");
            }
            b.append("</tr></thead>\n<tbody>\n");
            for (BenchReport.Variant v : s.variants()) {
                String id = s.name() + "/" + v.label() + "/";
                b.append("<tr").append(v.label().equals(s.best()) ? " class=\"best\"" : "").append("><td>")
                        .append(esc(v.label())).append("</td>");
                b.append(cell(id + "mean", v.mean(), BenchReport.meanCell(v)));
                b.append("<td class=\"num seeds\">").append(esc(BenchReport.perSeed(v))).append("</td>");
                for (Map.Entry<String, Double> c : BenchReport.cells(s, v)) {
                    b.append(cell(id + c.getKey(), c.getValue(), BenchReport.text(v, c.getKey(), c.getValue())));
                }
                b.append("</tr>\n");
            }
            b.append("</tbody>\n</table></div>\n");
            if (!s.baselines().isEmpty()) {
                b.append("<p class=\"baselines\">").append(esc(BenchReport.baselineLine(s))).append("</p>\n");
            }
        }
        if (!s.notDone().isEmpty()) {
            b.append("<ul class=\"notdone\">\n");
            for (String n : s.notDone()) {
                b.append("<li>not run: ").append(esc(n)).append("</li>\n");
            }
            b.append("</ul>\n");
        }
        b.append("<div class=\"charts\">\n");
        for (BenchReport.Chart c : s.charts()) {
            b.append("<figure>\n").append(c.svg()).append("\n<figcaption>").append(esc(c.caption()))
                    .append("</figcaption>\n</figure>\n");
        }
        b.append("</div>\n</section>\n");
    }

    private static String cell(String metric, double value, String text) {
        return "<td class=\"num\" data-metric=\"" + esc(metric) + "\" data-value=\""
                + (Double.isNaN(value) ? "NaN" : Double.toString(value)) + "\">" + esc(text) + "</td>";
    }

    private static String anchor(String name) {
        return "s-" + name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24;
                   background: #fafafa; margin: 0; }
            main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; }
            h1 { font-size: 28px; margin: 8px 0 4px; }
            h2 { font-size: 21px; margin-top: 40px; border-bottom: 2px solid #0072b2; padding-bottom: 4px; }
            .lead { color: #444; max-width: 70em; }
            .meta { color: #555; font-size: 13px; }
            code { background: #eef1f4; padding: 1px 4px; border-radius: 3px; font-size: 12.5px; }
            table { border-collapse: collapse; margin: 12px 0; background: #fff; }
            th, td { padding: 5px 10px; border-bottom: 1px solid #e3e6ea; text-align: left; white-space: nowrap; }
            th { background: #f0f3f6; font-weight: 600; cursor: pointer; user-select: none; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            td.seeds { color: #666; font-size: 12.5px; }
            tr.best td { background: #e8f4ec; font-weight: 600; }
            table.kv th { cursor: default; }
            details.machine { background: #fff; border: 1px solid #e3e6ea; border-radius: 6px; padding: 8px 16px; }
            nav ul { columns: 2; padding-left: 18px; }
            .charts { display: flex; flex-wrap: wrap; gap: 16px; }
            figure { margin: 0; background: #fff; border: 1px solid #e3e6ea; border-radius: 6px; padding: 8px; }
            figure svg { max-width: 100%; height: auto; display: block; }
            figcaption { font-size: 12.5px; color: #555; max-width: 720px; padding: 4px 6px; }
            .notdone { color: #a33; }
            .scroll { overflow-x: auto; }
            .baselines { color: #333; font-size: 13.5px; }
            """;

    private static final String SCRIPT = """
            // each chart marks itself drawn when the browser laid it out with a size (the report's test reads it)
            document.querySelectorAll('figure svg').forEach(function (svg) {
              var box = svg.getBBox();
              svg.setAttribute('data-drawn', box.width > 0 && box.height > 0 ? 'yes' : 'no');
            });
            document.querySelectorAll('table.sortable').forEach(function (table) {
              table.querySelectorAll('th').forEach(function (th, col) {
                th.addEventListener('click', function () {
                  var body = table.tBodies[0];
                  var rows = Array.prototype.slice.call(body.rows);
                  var asc = th.dataset.order !== 'asc';
                  th.dataset.order = asc ? 'asc' : 'desc';
                  rows.sort(function (a, b) {
                    var x = a.cells[col], y = b.cells[col];
                    var vx = parseFloat(x.dataset.value), vy = parseFloat(y.dataset.value);
                    var c = (isNaN(vx) || isNaN(vy)) ? x.textContent.localeCompare(y.textContent) : vx - vy;
                    return asc ? c : -c;
                  });
                  rows.forEach(function (r) { body.appendChild(r); });
                });
              });
            });
            """;
}

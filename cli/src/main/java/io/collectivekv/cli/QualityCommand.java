package io.collectivekv.cli;

import io.collectivekv.quality.QualityLedger;
import io.collectivekv.quality.QualityPlot;
import io.collectivekv.quality.QualityTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** QUALITY.md's tables and the trade-off plot, drawn from the quality ledger that {@code ckv eval --record} fills. */
@Command(name = "quality", mixinStandardHelpOptions = true,
        description = "Print the quality ledger as Markdown tables per data set, and plot NDCG@10 against cache bytes.")
final class QualityCommand implements Callable<Integer> {
    @Option(names = "--ledger", description = "quality ledger (default: ${DEFAULT-VALUE})")
    Path ledger = Path.of("docs/quality.json");

    @Option(names = "--plot", description = "write the NDCG@10-vs-cache-bytes plot (PNG) of --plot-data here")
    Path plot;

    @Option(names = "--plot-data", description = "data set of the plot (default: ${DEFAULT-VALUE})")
    String plotData = "ml-1m";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(ledger)) {
            throw new IllegalArgumentException("--ledger = " + ledger + ": no such file (ckv eval --record writes it)");
        }
        QualityLedger l = QualityLedger.read(ledger);
        Set<String> datasets = new LinkedHashSet<>();
        l.rows().forEach(r -> datasets.add(r.dataset()));
        var out = spec.commandLine().getOut();
        for (String dataset : datasets) {
            out.println("## " + dataset);
            out.println();
            out.print(QualityTables.markdown(l, dataset));
            out.println();
        }
        if (plot != null) {
            QualityPlot.write(l, plotData, plot);
            out.println("wrote " + plot);
        }
        return 0;
    }
}

package io.collectivekv.cli;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.CacheCodec;
import io.collectivekv.cache.Precision;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What a user's cache costs in state for a model, next to an ordinary fp32 K/V cache. */
@Command(name = "cache-size", mixinStandardHelpOptions = true,
        description = "Print the cache bytes per token per layer of a model (an artifact, or the model flags; default config if neither).")
final class CacheSizeCommand implements Callable<Integer> {
    @Option(names = "--model", description = "model artifact to size (otherwise the model flags)")
    Path modelPath;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ModelConfig config = modelPath != null ? ModelArtifact.open(modelPath).config() : model.toConfig(1);
        print(spec.commandLine().getOut(), config);
        return 0;
    }

    static void print(PrintWriter out, ModelConfig config) {
        int full = CacheCodec.fullFp32BytesPerTokenPerLayer(config);
        out.printf("model: %s, kv mode %s, d=%d, layers=%d, heads=%d, d_u=%d, pool m=%d, W=%d%n",
                config.encoder().id(), config.kvMode().id(), config.d(), config.layers(), config.heads(),
                config.userDim(), config.poolSize(), config.window());
        out.printf("full fp32 K/V cache:            %5d bytes per token per layer (2·d floats)%n", full);
        ModelConfig collective = config.withKvMode(KvMode.COLLECTIVE);
        for (Precision p : Precision.values()) {
            CacheCodec codec = new CacheCodec(collective, p);
            int bytes = codec.bytesPerTokenPerLayer();
            out.printf("collective, %s user parts:    %5d bytes per token per layer (%.2f%% of full); a user at W: %,d bytes%n",
                    p.id(), bytes, 100.0 * bytes / full, codec.encodedSize(config.window()));
        }
        out.printf("full, fp32, a user at W:        %,d bytes%n", new CacheCodec(config.withKvMode(KvMode.FULL), Precision.FP32).encodedSize(config.window()));
    }
}

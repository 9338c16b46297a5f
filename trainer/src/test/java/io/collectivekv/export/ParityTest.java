package io.collectivekv.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.KvCache;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.inference.Inference;
import io.collectivekv.inference.ModelSession;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.retrieval.TopK;
import io.collectivekv.train.ReferenceForward;
import io.collectivekv.train.TinyModels;
import io.collectivekv.train.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parity invariant (DESIGN §4): the trainer's eval-mode forward, the exported prefill and a
 * token-by-token step from an empty cache compute the same caches (indices identical, floats to
 * 1e-4) and the same top-10, for every encoder × kv mode, on sequences shorter than, equal to and
 * longer than W (where the step evicts and the reference uses the same sliding band).
 */
class ParityTest {
    private static final float TOLERANCE = 1e-4f;
    private static final int[] LENGTHS = {3, TinyModels.WINDOW, TinyModels.WINDOW + 9};

    @TempDir
    Path dir;

    static Stream<Arguments> models() {
        return Stream.of(Encoder.values()).flatMap(e -> Stream.of(KvMode.values()).map(m -> Arguments.of(e, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void prefillAndStepMatchTheTrainersForward(Encoder encoder, KvMode mode) throws Exception {
        TrainedModel trained = TinyModels.trained(encoder, mode);
        ArtifactExport.write(trained, dir.resolve("model"), Map.of());
        List<int[]> sequences = sequences();
        try (ReferenceForward reference = new ReferenceForward(trained);
                ModelSession session = ModelSession.open(ModelArtifact.open(dir.resolve("model")), 1)) {
            List<Inference> expected = reference.run(sequences);

            List<int[]> windows = new ArrayList<>();
            for (int[] s : sequences) {
                windows.add(s.length <= TinyModels.WINDOW ? s : Arrays.copyOf(s, TinyModels.WINDOW));
            }
            List<Inference> prefilled = session.prefill(windows);
            List<Inference> prefillReference = reference.run(windows);
            for (int i = 0; i < sequences.size(); i++) {
                assertSame("prefill vs trainer, sequence " + i, prefillReference.get(i), prefilled.get(i), windows.get(i));
            }

            // All users step together, so padding of caches of different lengths is exercised too.
            List<KvCache> caches = new ArrayList<>();
            sequences.forEach(s -> caches.add(KvCache.empty(trained.config())));
            int longest = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
            List<Inference> last = new ArrayList<>(sequences.size());
            sequences.forEach(s -> last.add(null));
            for (int t = 0; t < longest; t++) {
                List<Integer> active = new ArrayList<>();
                for (int i = 0; i < sequences.size(); i++) {
                    if (t < sequences.get(i).length) {
                        active.add(i);
                    }
                }
                List<KvCache> activeCaches = active.stream().map(caches::get).toList();
                int[] items = active.stream().mapToInt(i -> sequences.get(i)[0]).toArray();
                for (int k = 0; k < active.size(); k++) {
                    items[k] = sequences.get(active.get(k))[t];
                }
                List<Inference> out = session.step(activeCaches, items);
                for (int k = 0; k < active.size(); k++) {
                    last.set(active.get(k), out.get(k));
                }
            }
            for (int i = 0; i < sequences.size(); i++) {
                assertSame("step vs trainer, sequence " + i, expected.get(i), last.get(i), sequences.get(i));
            }
        }
    }

    /** Real users' histories of every length class, from the synthetic data. */
    private static List<int[]> sequences() {
        EncodedSequences data = TinyModels.data();
        List<int[]> out = new ArrayList<>();
        for (int length : LENGTHS) {
            int found = 0;
            for (int u = 0; u < data.userCount() && found < 2; u++) {
                int[] rows = data.rows(u);
                if (rows.length >= length) {
                    int start = u % (rows.length - length + 1); // a different slice per user
                    out.add(Arrays.copyOfRange(rows, start, start + length));
                    found++;
                }
            }
        }
        return out;
    }

    private static void assertSame(String what, Inference expected, Inference actual, int[] sequence) {
        KvCache e = expected.cache();
        KvCache a = actual.cache();
        assertEquals(e.length(), a.length(), what + ": cached tokens");
        int w = e.width();
        float[] ep = new float[w];
        float[] ap = new float[w];
        for (int l = 0; l < e.layers(); l++) {
            for (int t = 0; t < e.length(); t++) {
                if (e.mode() == KvMode.COLLECTIVE) {
                    assertEquals(e.keyIndex(l, t), a.keyIndex(l, t), what + ": key index, layer " + l + " token " + t);
                    assertEquals(e.valueIndex(l, t), a.valueIndex(l, t), what + ": value index, layer " + l + " token " + t);
                }
                e.copyKeyPart(l, t, ep, 0);
                a.copyKeyPart(l, t, ap, 0);
                assertArrayEquals(ep, ap, TOLERANCE, what + ": key part, layer " + l + " token " + t);
                e.copyValuePart(l, t, ep, 0);
                a.copyValuePart(l, t, ap, 0);
                assertArrayEquals(ep, ap, TOLERANCE, what + ": value part, layer " + l + " token " + t);
            }
        }
        assertArrayEquals(expected.userVector(), actual.userVector(), TOLERANCE, what + ": user vector");
        assertArrayEquals(expected.scores(), actual.scores(), TOLERANCE, what + ": scores");
        BitSet seen = new BitSet();
        Arrays.stream(sequence).forEach(seen::set);
        assertArrayEquals(TopK.select(expected.scores(), 10, seen).rows(), TopK.select(actual.scores(), 10, seen).rows(), what + ": top-10");
    }
}

package io.collectivekv.job.wire;

import io.collectivekv.schema.ModelRelease;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Decodes Avro single-object ModelReleases; an undecodable one goes to the dead-letter side output. */
public final class ReleaseDecoder extends ProcessFunction<RawRecord, Release> {
    private static final long serialVersionUID = 1L;

    private transient SingleObjectDecoder<ModelRelease> avro;

    @Override
    public void open(OpenContext context) {
        avro = new SingleObjectDecoder<>(ModelRelease.class, ModelRelease.getClassSchema());
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Release> out) {
        try {
            ModelRelease r = avro.decode(raw.value);
            out.collect(new Release(r.getModelVersion(), r.getArtifactUri(), r.getManifestSha256(), raw));
        } catch (SingleObjectDecoder.Undecodable e) {
            ctx.output(Tags.DEAD_LETTERS, Rejected.of(raw, "not a decodable ModelRelease (Avro single-object): " + e.getMessage()));
        }
    }
}

package io.collectivekv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the benchmark reads from the job through Flink's REST API (the MiniCluster's endpoint on a
 * loopback port): an operator's metrics (the job's histograms, RocksDB's native metrics) and the
 * checkpoint statistics.
 */
public final class JobProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String jobId;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public JobProbe(String base, String jobId) {
        this.base = URI.create(base.replaceAll("/+$", "") + "/");
        this.jobId = jobId;
    }

    /** One metric of an operator, aggregated over its subtasks. */
    public record Metric(String id, double sum, double avg, double max) {}

    /**
     * The metrics of the vertex whose name contains {@code vertexName} whose ids {@code wanted}
     * accepts, by id; empty until the metric fetcher has seen them.
     */
    public Map<String, Metric> metrics(String vertexName, Predicate<String> wanted) throws IOException {
        String vertex = null;
        for (JsonNode v : get("jobs/" + jobId).path("vertices")) {
            if (v.path("name").asText().contains(vertexName)) {
                vertex = v.path("id").asText();
            }
        }
        Map<String, Metric> out = new LinkedHashMap<>();
        if (vertex == null) {
            return out;
        }
        String path = "jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics";
        List<String> ids = new ArrayList<>();
        for (JsonNode m : get(path)) {
            String id = m.path("id").asText();
            if (wanted.test(id)) {
                ids.add(id);
            }
        }
        // A long query string is fine for Flink's REST server; chunk anyway to stay well clear of limits.
        for (int from = 0; from < ids.size(); from += 40) {
            String get = String.join(",", ids.subList(from, Math.min(ids.size(), from + 40)));
            for (JsonNode m : get(path + "?agg=sum,avg,max&get=" + URLEncoder.encode(get, StandardCharsets.UTF_8))) {
                out.put(m.path("id").asText(), new Metric(m.path("id").asText(), m.path("sum").asDouble(),
                        m.path("avg").asDouble(), m.path("max").asDouble()));
            }
        }
        return out;
    }

    /** /jobs/:id/checkpoints as Flink answers it (counts, summary, latest, history). */
    public JsonNode checkpoints() throws IOException {
        return get("jobs/" + jobId + "/checkpoints");
    }

    private JsonNode get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: GET " + path, e);
        }
        if (response.statusCode() >= 300) {
            throw new IOException("Flink REST " + base + path + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}

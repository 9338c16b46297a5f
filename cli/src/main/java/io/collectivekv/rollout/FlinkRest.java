package io.collectivekv.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The few calls of Flink's REST API a rollout needs (the same API the web UI and {@code flink}
 * CLI use): list jobs, stop with a savepoint, upload and run the job jar, watch a job and read an
 * operator's metric. Every failure is one line naming the cluster and the call.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A job as the cluster lists it. */
    public record Job(String id, String name, String state) {}

    /** @param base the REST endpoint, e.g. http://127.0.0.1:8081 */
    public FlinkRest(URI base) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
    }

    public URI base() {
        return base;
    }

    public List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        for (JsonNode j : get("jobs/overview").path("jobs")) {
            jobs.add(new Job(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText()));
        }
        return jobs;
    }

    public String state(String jobId) {
        return get("jobs/" + jobId).path("state").asText();
    }

    /** Stops the job with a savepoint in {@code targetDirectory} and returns the savepoint's path. */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) {
        ObjectNode body = JSON.createObjectNode().put("targetDirectory", targetDirectory).put("drain", false)
                .put("formatType", "CANONICAL");
        return awaitSavepoint(jobId, post("jobs/" + jobId + "/stop", body).path("request-id").asText(), "stop with savepoint", timeout);
    }

    /** Takes a savepoint of the running job (which runs on) and returns its path. */
    public String triggerSavepoint(String jobId, String targetDirectory, Duration timeout) {
        ObjectNode body = JSON.createObjectNode().put("target-directory", targetDirectory).put("cancel-job", false)
                .put("formatType", "CANONICAL");
        return awaitSavepoint(jobId, post("jobs/" + jobId + "/savepoints", body).path("request-id").asText(), "savepoint", timeout);
    }

    private String awaitSavepoint(String jobId, String trigger, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("jobs/" + jobId + "/savepoints/" + trigger);
            if (status.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new RolloutException(base + ": " + what + " of job " + jobId + " failed: "
                            + rootCause(operation.path("failure-cause").path("stack-trace").asText()));
                }
                return operation.path("location").asText();
            }
            pause();
        }
        throw new RolloutException(base + ": " + what + " of job " + jobId + " did not finish within " + timeout);
    }

    /**
     * Failures the job has recovered from, as its exception history lists them (a TaskManager
     * lost, a source's broker gone...). Unlike the numRestarts metric, it also counts the
     * region failovers a lost TaskManager causes.
     */
    public int failures(String jobId) {
        return get("jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").size();
    }

    /** Uploads a job jar; returns the id the cluster gives it. */
    public String uploadJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + ": no such job jar");
        }
        String boundary = "----collectivekv" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                    + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(jar + ": " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        String file = send(request, "upload " + jar.getFileName()).path("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /** Runs an uploaded jar's entry class; returns the new job's id. */
    public String runJar(String jarId, String entryClass, List<String> args, int parallelism, String savepointPath) {
        ObjectNode body = JSON.createObjectNode().put("entryClass", entryClass).put("parallelism", parallelism);
        args.forEach(body.putArray("programArgsList")::add);
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath).put("allowNonRestoredState", false);
        }
        return post("jars/" + jarId + "/run", body).path("jobid").asText();
    }

    /** Waits until the job and every one of its tasks run (the moment it serves again). */
    public void awaitRunning(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = "?";
        while (System.nanoTime() < deadline) {
            JsonNode job = get("jobs/" + jobId);
            state = job.path("state").asText();
            if (state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED")) {
                throw new RolloutException(base + ": job " + jobId + " ended " + state + " instead of running");
            }
            boolean allRunning = state.equals("RUNNING") && job.path("vertices").size() > 0;
            for (JsonNode v : job.path("vertices")) {
                allRunning &= v.path("status").asText().equals("RUNNING");
            }
            if (allRunning) {
                return;
            }
            pause();
        }
        throw new RolloutException(base + ": job " + jobId + " not running after " + timeout + " (" + state + ")");
    }

    /**
     * An operator metric summed over its subtasks, e.g. ("recommend", "cacheRebuilds"); 0 until the
     * cluster's metric fetcher has seen it.
     */
    public long operatorMetricSum(String jobId, String operator, String metric) {
        for (JsonNode v : get("jobs/" + jobId).path("vertices")) {
            if (v.path("name").asText().contains(operator)) {
                String id = operator + "." + metric;
                JsonNode values = get("jobs/" + jobId + "/vertices/" + v.path("id").asText()
                        + "/subtasks/metrics?agg=sum&get=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
                for (JsonNode m : values) {
                    if (m.path("id").asText().equals(id)) {
                        return (long) m.path("sum").asDouble();
                    }
                }
                return 0;
            }
        }
        throw new IllegalArgumentException(base + ": job " + jobId + " has no operator named " + operator);
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), "GET /" + path);
    }

    private JsonNode post(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), "POST /" + path);
    }

    private JsonNode send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new RolloutException("Flink REST " + base + " not reachable (" + what + "): connection refused");
        } catch (IOException e) {
            throw new RolloutException("Flink REST " + base + " (" + what + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted during " + what, e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RolloutException("Flink REST " + base + " (" + what + "): HTTP " + response.statusCode() + ", not JSON");
        }
        if (response.statusCode() >= 300) {
            throw new RolloutException("Flink REST " + base + " (" + what + "): HTTP " + response.statusCode() + ": "
                    + rootCause(json.path("errors").path(0).asText()));
        }
        return json;
    }

    /** The innermost cause of a server-side stack trace (what went wrong), or its first line. */
    private static String rootCause(String error) {
        String cause = error.lines().findFirst().orElse("");
        for (String line : error.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        return cause;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted", e);
        }
    }
}

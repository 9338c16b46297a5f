package io.collectivekv.job.config;

import io.collectivekv.model.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The job's settings: declared defaults, then a properties file, then {@code --key value}
 * overrides. An unknown key or a bad value is refused with its name. Serializable, so operators
 * carry it to the cluster.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> values;

    private JobConfig(Map<String, String> values) {
        this.values = values;
        JobSettings.ALL.forEach(s -> s.parse(values.get(s.key())));
        if (get(JobSettings.DELIVERY).equals("exactly-once") && get(JobSettings.CHECKPOINT_INTERVAL_MS) == 0) {
            // Transactions commit on checkpoints: without them no output would ever become visible.
            throw new ConfigException(JobSettings.DELIVERY.key(), "exactly-once needs checkpoints (" + JobSettings.CHECKPOINT_INTERVAL_MS.key() + " > 0)");
        }
    }

    public static JobConfig defaults() {
        return of(Map.of());
    }

    /** Defaults overridden by {@code overrides}; every key must be declared. */
    public static JobConfig of(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>();
        JobSettings.ALL.forEach(s -> v.put(s.key(), s.defaultValue()));
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!v.containsKey(e.getKey())) {
                throw new ConfigException(e.getKey(), "unknown setting (known: "
                        + JobSettings.ALL.stream().map(Setting::key).collect(Collectors.joining(", ")) + ")");
            }
            v.put(e.getKey(), e.getValue());
        }
        return new JobConfig(v);
    }

    /** Reads a properties file (if given) and applies {@code --key value} pairs on top. */
    public static JobConfig load(Path file, Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (NoSuchFileException e) {
                throw new UncheckedIOException(file + ": no such file", e);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
            p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k)));
        }
        all.putAll(overrides);
        return of(all);
    }

    /** Parses {@code --key value} pairs, as given on a command line. */
    public static Map<String, String> overrides(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new ConfigException(a, "expected --<setting> <value> pairs");
            }
            m.put(a.substring(2), args[++i]);
        }
        return m;
    }

    public <T> T get(Setting<T> setting) {
        return setting.parse(values.get(setting.key()));
    }

    public JobConfig with(Setting<?> setting, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(setting.key(), value);
        return of(v);
    }

    /**
     * Every setting as {@code --key value} program arguments: what a job submitted through Flink's
     * REST API needs to run with exactly this configuration, with no file on the cluster.
     */
    public List<String> toProgramArgs() {
        List<String> args = new ArrayList<>();
        values.forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        return args;
    }

    /** The documented defaults file: one commented block per setting. */
    public static String defaultsFile() {
        StringBuilder sb = new StringBuilder("# Settings of the CollectiveKV streaming job, with their defaults.\n"
                + "# Generated from JobSettings; a test keeps this file and the declarations in step.\n"
                + "# Override any of them on the command line with --<key> <value>.\n");
        for (Setting<?> s : JobSettings.ALL) {
            sb.append('\n').append("# ").append(s.doc()).append('\n')
                    .append("# Accepted: ").append(s.accepted()).append('\n')
                    .append(s.key()).append('=').append(s.defaultValue()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}

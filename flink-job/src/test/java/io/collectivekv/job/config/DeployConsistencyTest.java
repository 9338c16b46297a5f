package io.collectivekv.job.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collectivekv.job.RecommenderJob;
import io.collectivekv.job.RecommenderJobMain;
import io.collectivekv.schema.InteractionEvent;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The deployment files agree with the code: docker-compose.yml, deploy/flink/ (a session cluster)
 * and deploy/k8s/ (the Flink Kubernetes Operator) run the shaded jar's entry class with declared
 * settings only, create the topics the job reads and writes, and give every Flink JVM what the job
 * needs (RocksDB, checkpoint directories equal to the job's, Avro's trusted package).
 */
class DeployConsistencyTest {
    /** The repository root, seen from this module's directory, where Maven runs the tests. */
    private static final Path ROOT = Path.of("..");
    private static final String COMPOSE = "docker-compose.yml";
    private static final String SESSION_CONFIG = "deploy/flink/config.yaml";
    private static final String CLUSTER_SETTINGS = "deploy/flink/recommender.properties";
    private static final String K8S = "deploy/k8s";
    private static final String K8S_DEPLOYMENT = K8S + "/flink-deployment.yaml";
    private static final String K8S_DOCKERFILE = K8S + "/Dockerfile";
    private static final List<Setting<String>> TOPICS = List.of(JobSettings.TOPIC_INTERACTIONS, JobSettings.TOPIC_RELEASES,
            JobSettings.TOPIC_RECOMMENDATIONS, JobSettings.TOPIC_DEAD_LETTERS);

    @Test
    void composeSubmitsTheShadedJarWithDeclaredSettings() {
        Map<String, Object> job = composeService("job");
        String jar = composeRunLine().stream().filter(t -> t.endsWith(".jar")).findFirst().orElse("(none)");
        String where = COMPOSE + ": services.job.command";
        assertEquals(shadedJarName(), Path.of(jar).getFileName().toString(), where + ": the job jar");
        assertEquals("./flink-job/target/" + shadedJarName(), mountSource(job, jar), COMPOSE + ": services.job.volumes: " + jar);
        // flink run starts the class named in the jar's manifest.
        assertEquals(RecommenderJobMain.class.getName(), shadePlugin("mainClass"), "flink-job/pom.xml: the job jar's Main-Class");

        Map<String, String> args = composeJobArgs();
        String config = args.remove("config");
        assertEquals("./" + CLUSTER_SETTINGS, mountSource(job, config), COMPOSE + ": services.job.volumes: " + config);
        assertDeclared(args, where);
        assertTrue(String.join("\n", strings(job.get("command"))).contains("'" + RecommenderJob.NAME + "'"),
                where + ": the running-job check looks for the job's name " + RecommenderJob.NAME);
    }

    @Test
    void clusterSettingsAreDeclaredAndValid() {
        Map<String, String> settings = properties(read(CLUSTER_SETTINGS));
        assertDeclared(settings, CLUSTER_SETTINGS);
        jobConfig(settings, CLUSTER_SETTINGS);
    }

    @Test
    void composeCreatesTheJobsTopics() {
        String script = String.join("\n", strings(composeService("topics").get("command")));
        Matcher m = Pattern.compile("--topic\\s+(\\S+)").matcher(script);
        Set<String> created = new TreeSet<>();
        while (m.find()) {
            created.add(m.group(1));
        }
        assertEquals(defaultTopics(), created, COMPOSE + ": services.topics.command: --topic");
        List<String> releases = tokensOfLineWith(script, "--topic " + JobSettings.TOPIC_RELEASES.defaultValue());
        assertEquals("1", releases.get(releases.indexOf("--partitions") + 1),
                COMPOSE + ": services.topics.command: " + JobSettings.TOPIC_RELEASES.defaultValue() + " has one partition (releases are ordered)");
    }

    @Test
    void composeFlinkContainersHaveWhatTheJobNeeds() {
        JobConfig job = jobConfig(composeJobSettings(), COMPOSE + ": services.job");
        for (String service : List.of("jobmanager", "taskmanager", "job")) {
            String where = COMPOSE + ": services." + service + ".environment.FLINK_PROPERTIES";
            Map<String, String> flink = flinkProperties(service);
            assertFlinkConfigurationServes(job, flink, where);
            assertTrue(Integer.parseInt(flink.get("taskmanager.numberOfTaskSlots")) >= job.get(JobSettings.PARALLELISM),
                    where + ": taskmanager.numberOfTaskSlots of the one TaskManager ≥ the job's parallelism");
        }
    }

    @Test
    void sessionClusterConfigHasWhatTheJobNeedsAndAgreesWithCompose() {
        Map<String, String> session = flatten(yaml(read(SESSION_CONFIG)));
        assertFlinkConfigurationServes(jobConfig(properties(read(CLUSTER_SETTINGS)), CLUSTER_SETTINGS), session, SESSION_CONFIG);
        Map<String, String> compose = flinkProperties("jobmanager");
        Set<String> addresses = Set.of("jobmanager.rpc.address", "rest.address");
        for (String key : compose.keySet()) {
            if (session.containsKey(key) && !addresses.contains(key)) {
                assertEquals(session.get(key), compose.get(key), COMPOSE + " (FLINK_PROPERTIES) and " + SESSION_CONFIG + ": " + key);
            }
        }
    }

    @Test
    void flinkDeploymentRunsTheShadedJarsEntryClassWithDeclaredSettings() {
        Map<String, Object> spec = map(k8sResource("FlinkDeployment").get("spec"), K8S_DEPLOYMENT + ": spec");
        Map<String, Object> job = map(spec.get("job"), K8S_DEPLOYMENT + ": spec.job");
        String jarUri = "local:///opt/flink/usrlib/" + shadedJarName();
        assertEquals(jarUri, job.get("jarURI"), K8S_DEPLOYMENT + ": spec.job.jarURI");
        assertEquals(List.of("flink-job/target/" + shadedJarName(), jarUri.substring("local://".length())), dockerfile("COPY", 2),
                K8S_DOCKERFILE + ": COPY puts the job jar where spec.job.jarURI points");
        assertEquals(RecommenderJobMain.class.getName(), job.get("entryClass"), K8S_DEPLOYMENT + ": spec.job.entryClass");
        assertEquals("savepoint", job.get("upgradeMode"), K8S_DEPLOYMENT + ": spec.job.upgradeMode");

        Map<String, String> args = jobArgs(strings(job.get("args")), K8S_DEPLOYMENT + ": spec.job.args");
        Path config = Path.of(args.remove("config"));
        assertEquals(configMapMountPath(spec), config.getParent().toString(),
                K8S_DEPLOYMENT + ": spec.job.args --config is in the mounted ConfigMap");
        assertDeclared(args, K8S_DEPLOYMENT + ": spec.job.args");

        assertDeclared(jobConfigMap(config.getFileName().toString()), K8S + "/job-config.yaml: data." + config.getFileName());
        assertEquals(String.valueOf(jobConfig(k8sJobSettings(spec), K8S_DEPLOYMENT).get(JobSettings.PARALLELISM)), String.valueOf(job.get("parallelism")),
                K8S_DEPLOYMENT + ": spec.job.parallelism equals the job's parallelism");
    }

    @Test
    void flinkDeploymentHasWhatTheJobNeeds() {
        Map<String, Object> spec = map(k8sResource("FlinkDeployment").get("spec"), K8S_DEPLOYMENT + ": spec");
        assertFlinkConfigurationServes(jobConfig(k8sJobSettings(spec), K8S + "/job-config.yaml with " + K8S_DEPLOYMENT + "'s args"),
                flatten(spec.get("flinkConfiguration")), K8S_DEPLOYMENT + ": spec.flinkConfiguration");
        String[] version = buildProperty("flink.version").split("\\.");
        assertEquals("v" + version[0] + "_" + version[1], spec.get("flinkVersion"), K8S_DEPLOYMENT + ": spec.flinkVersion");
    }

    @Test
    void kafkaTopicResourcesAreTheJobsTopics() {
        List<Map<String, Object>> topics = k8sResources().stream().filter(r -> "KafkaTopic".equals(r.get("kind"))).toList();
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> topic : topics) {
            Map<String, Object> metadata = map(topic.get("metadata"), "KafkaTopic metadata");
            Map<String, Object> spec = map(topic.get("spec"), "KafkaTopic spec");
            String name = String.valueOf(spec.getOrDefault("topicName", metadata.get("name")));
            String where = K8S + ": KafkaTopic " + name;
            assertEquals("kafka.strimzi.io/v1beta2", topic.get("apiVersion"), where + ": apiVersion");
            String cluster = String.valueOf(map(metadata.get("labels"), where + ": labels").get("strimzi.io/cluster"));
            assertTrue(jobConfigMap("recommender.properties").get(JobSettings.BOOTSTRAP_SERVERS.key()).startsWith(cluster + "-kafka-bootstrap"),
                    where + ": strimzi.io/cluster " + cluster + " is the cluster of " + JobSettings.BOOTSTRAP_SERVERS.key());
            if (name.equals(JobSettings.TOPIC_RELEASES.defaultValue())) {
                assertEquals(1, spec.get("partitions"), where + ": partitions (releases are ordered)");
            }
            names.add(name);
        }
        assertEquals(defaultTopics(), names, K8S + ": KafkaTopic names");
    }

    @Test
    void imagesAreTheBuildsVersions() {
        String flink = "flink:" + buildProperty("flink.version") + "-java17";
        String kafka = "apache/kafka:" + buildProperty("kafka.version");
        for (Map.Entry<String, Object> service : composeServices().entrySet()) {
            String image = String.valueOf(map(service.getValue(), service.getKey()).get("image"));
            String where = COMPOSE + ": services." + service.getKey() + ".image";
            if (image.startsWith("flink:")) {
                assertEquals(flink, image, where);
            } else if (image.startsWith("apache/kafka:")) {
                assertEquals(kafka, image, where);
            }
        }
        assertEquals(List.of(flink), dockerfile("FROM", 1), K8S_DOCKERFILE + ": FROM");
        for (Map<String, Object> pod : k8sResources().stream().filter(r -> "Pod".equals(r.get("kind"))).toList()) {
            for (Object container : list(map(pod.get("spec"), "Pod spec").get("containers"))) {
                assertEquals(flink, map(container, "container").get("image"), K8S + ": Pod " + map(pod.get("metadata"), "metadata").get("name") + ": image");
            }
        }
    }

    // ---- what every Flink configuration must give the job ---------------------------------------

    private static void assertFlinkConfigurationServes(JobConfig job, Map<String, String> flink, String where) {
        assertEquals("rocksdb", flink.get("state.backend.type"), where + ": state.backend.type");
        assertEquals("true", flink.get("execution.checkpointing.incremental"), where + ": execution.checkpointing.incremental");
        // The job sets both directories from its checkpoint.dir; the cluster's must not point elsewhere.
        String dir = job.get(JobSettings.CHECKPOINT_DIR);
        assertEquals(dir, flink.get("execution.checkpointing.dir"), where + ": execution.checkpointing.dir equals the job's " + JobSettings.CHECKPOINT_DIR.key());
        assertEquals(dir, flink.get("execution.checkpointing.savepoint-dir"),
                where + ": execution.checkpointing.savepoint-dir equals the job's " + JobSettings.CHECKPOINT_DIR.key());
        String restarts = flink.getOrDefault("restart-strategy.type", "(unset)");
        assertTrue(Set.of("exponential-delay", "fixed-delay", "failure-rate").contains(restarts), where + ": restart-strategy.type " + restarts);
        assertEquals("org.apache.flink.metrics.prometheus.PrometheusReporterFactory", flink.get("metrics.reporter.prom.factory.class"),
                where + ": metrics.reporter.prom.factory.class");
        List<String> javaOptions = Arrays.asList(flink.getOrDefault("env.java.opts.all", "").trim().split("\\s+"));
        for (String option : List.of("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + InteractionEvent.class.getPackageName(),
                "-Dai.djl.offline=true", "--add-opens=java.base/java.util=ALL-UNNAMED")) {
            assertTrue(javaOptions.contains(option), where + ": env.java.opts.all has " + option);
        }
    }

    /** The settings in effect; a bad value fails with the file and the setting's name. */
    private static JobConfig jobConfig(Map<String, String> settings, String where) {
        try {
            return JobConfig.of(settings);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(where + ": " + e.getMessage(), e);
        }
    }

    private static void assertDeclared(Map<String, String> settings, String where) {
        Set<String> declared = JobSettings.ALL.stream().map(Setting::key).collect(Collectors.toSet());
        for (String key : settings.keySet()) {
            assertTrue(declared.contains(key), where + ": " + key + " is not a setting declared in JobSettings");
        }
    }

    private static Set<String> defaultTopics() {
        return TOPICS.stream().map(Setting::defaultValue).collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code --key value} pairs after the jar, as the job's main() reads them (--config included). */
    private static Map<String, String> jobArgs(List<String> args, String where) {
        assertEquals(0, args.size() % 2, where + ": --<setting> <value> pairs");
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            assertTrue(args.get(i).startsWith("--"), where + ": " + args.get(i) + " is not a --<setting>");
            m.put(args.get(i).substring(2), args.get(i + 1));
        }
        assertNotNull(m.get("config"), where + ": --config");
        return m;
    }

    // ---- docker-compose.yml ---------------------------------------------------------------------

    private static Map<String, Object> composeServices() {
        return map(map(yaml(read(COMPOSE)), COMPOSE).get("services"), COMPOSE + ": services");
    }

    private static Map<String, Object> composeService(String name) {
        return map(composeServices().get(name), COMPOSE + ": services." + name);
    }

    /** The job's settings on the compose cluster: the file it mounts as --config, then the command's overrides. */
    private static Map<String, String> composeJobSettings() {
        Map<String, String> settings = properties(read(CLUSTER_SETTINGS));
        Map<String, String> args = composeJobArgs();
        args.remove("config");
        settings.putAll(args);
        return settings;
    }

    /** The words of services.job's {@code flink run} line. */
    private static List<String> composeRunLine() {
        return tokensOfLineWith(String.join("\n", strings(composeService("job").get("command"))), "flink run");
    }

    /** What services.job passes after the jar in its {@code flink run} line. */
    private static Map<String, String> composeJobArgs() {
        List<String> run = composeRunLine();
        int jar = run.indexOf(run.stream().filter(t -> t.endsWith(".jar")).findFirst().orElse(""));
        return jobArgs(run.subList(jar + 1, run.size()), COMPOSE + ": services.job.command");
    }

    private static Map<String, String> flinkProperties(String service) {
        Object env = map(composeService(service).get("environment"), COMPOSE + ": services." + service + ".environment").get("FLINK_PROPERTIES");
        assertNotNull(env, COMPOSE + ": services." + service + ".environment.FLINK_PROPERTIES");
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : String.valueOf(env).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return m;
    }

    /** The host path mounted at {@code target} in a service ("source:target[:mode]"). */
    private static String mountSource(Map<String, Object> service, String target) {
        return strings(service.get("volumes")).stream().map(v -> v.split(":"))
                .filter(parts -> parts.length >= 2 && parts[1].equals(target)).map(parts -> parts[0]).findFirst().orElse("(not mounted)");
    }

    private static List<String> tokensOfLineWith(String script, String marker) {
        return script.lines().filter(l -> l.contains(marker)).findFirst().map(l -> Arrays.asList(l.trim().split("\\s+")))
                .orElseThrow(() -> new AssertionError("no line with '" + marker + "' in " + script));
    }

    // ---- deploy/k8s -----------------------------------------------------------------------------

    private static List<Map<String, Object>> k8sResources() {
        List<Map<String, Object>> resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve(K8S))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
                    resources.add(map(doc, K8S + "/" + file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(K8S + ": " + e.getMessage(), e);
        }
        return resources;
    }

    private static Map<String, Object> k8sResource(String kind) {
        List<Map<String, Object>> found = k8sResources().stream().filter(r -> kind.equals(r.get("kind"))).toList();
        assertEquals(1, found.size(), K8S + ": one " + kind);
        return found.get(0);
    }

    /** The job's settings on Kubernetes: the ConfigMap's file, then the FlinkDeployment's args. */
    private static Map<String, String> k8sJobSettings(Map<String, Object> spec) {
        Map<String, String> args = jobArgs(strings(map(spec.get("job"), "spec.job").get("args")), K8S_DEPLOYMENT + ": spec.job.args");
        Map<String, String> settings = jobConfigMap(Path.of(args.remove("config")).getFileName().toString());
        settings.putAll(args);
        return settings;
    }

    /** The job's properties file held by the ConfigMap the FlinkDeployment mounts. */
    private static Map<String, String> jobConfigMap(String key) {
        Map<String, Object> data = map(k8sResource("ConfigMap").get("data"), K8S + ": ConfigMap data");
        assertNotNull(data.get(key), K8S + ": ConfigMap data." + key);
        return properties(String.valueOf(data.get(key)));
    }

    private static String configMapMountPath(Map<String, Object> spec) {
        Map<String, Object> pod = map(map(spec.get("podTemplate"), "spec.podTemplate").get("spec"), "spec.podTemplate.spec");
        String volume = list(pod.get("volumes")).stream().map(v -> map(v, "volume")).filter(v -> v.containsKey("configMap"))
                .map(v -> String.valueOf(v.get("name"))).findFirst().orElse("(no ConfigMap volume)");
        return list(pod.get("containers")).stream().flatMap(c -> list(map(c, "container").get("volumeMounts")).stream())
                .map(m -> map(m, "volumeMount")).filter(m -> volume.equals(m.get("name")))
                .map(m -> String.valueOf(m.get("mountPath"))).findFirst().orElse("(not mounted)");
    }

    /** The arguments of the first Dockerfile instruction {@code instruction}, options (--x) left out. */
    private static List<String> dockerfile(String instruction, int arguments) {
        return read(K8S_DOCKERFILE).lines().map(String::trim).filter(l -> l.startsWith(instruction + " ")).findFirst()
                .map(l -> Arrays.stream(l.split("\\s+")).skip(1).filter(t -> !t.startsWith("--")).limit(arguments).toList())
                .orElseThrow(() -> new AssertionError(K8S_DOCKERFILE + ": no " + instruction));
    }

    // ---- the build ------------------------------------------------------------------------------

    /** The shade plugin's artifact: {@code <artifactId>-<version>-<shadedClassifierName>.jar}. */
    private static String shadedJarName() {
        String version = pom("flink-job/pom.xml", "/project/version");
        if (version.isEmpty()) {
            version = pom("flink-job/pom.xml", "/project/parent/version");
        }
        return pom("flink-job/pom.xml", "/project/artifactId") + "-" + version + "-" + shadePlugin("shadedClassifierName") + ".jar";
    }

    private static String shadePlugin(String element) {
        return pom("flink-job/pom.xml", "//plugin[artifactId='maven-shade-plugin']//" + element);
    }

    private static String buildProperty(String name) {
        return pom("pom.xml", "/project/properties/" + name);
    }

    private static String pom(String file, String xpath) {
        try {
            var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve(file).toFile());
            return XPathFactory.newInstance().newXPath().evaluate(xpath, document).trim();
        } catch (Exception e) {
            throw new AssertionError(file + ": " + e.getMessage(), e);
        }
    }

    // ---- reading --------------------------------------------------------------------------------

    private static String read(String file) {
        try {
            return Files.readString(ROOT.resolve(file));
        } catch (IOException e) {
            throw new AssertionError(file + ": " + e.getMessage(), e);
        }
    }

    private static Object yaml(String text) {
        return new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    private static Map<String, String> properties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    /** Flink's YAML, nested or flat, as flat keys with text values. */
    private static Map<String, String> flatten(Object yaml) {
        Map<String, String> flat = new LinkedHashMap<>();
        flattenInto("", map(yaml, "Flink configuration"), flat);
        return flat;
    }

    private static void flattenInto(String prefix, Map<String, Object> yaml, Map<String, String> flat) {
        for (Map.Entry<String, Object> e : yaml.entrySet()) {
            if (e.getValue() instanceof Map<?, ?>) {
                flattenInto(prefix + e.getKey() + ".", map(e.getValue(), e.getKey()), flat);
            } else {
                flat.put(prefix + e.getKey(), String.valueOf(e.getValue()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where) {
        assertTrue(o instanceof Map<?, ?>, where + ": expected a mapping, found " + o);
        return (Map<String, Object>) o;
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(o));
    }
}

package dev.loopline.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the loop's topics. Context, decisions and models use broker append time, so decision and
 * redeploy latencies are measured between two readings of the broker's clock, not producers' clocks;
 * the model topic is compacted so the registry of versions survives any retention.
 */
public final class TopicAdmin {
    private TopicAdmin() {}

    public static void createTopics(String bootstrap, Map<String, String> clientProps, Topics topics, int partitions,
            short replication) throws InterruptedException {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> wanted = new ArrayList<>();
            Map<String, String> appendTime = Map.of("message.timestamp.type", "LogAppendTime");
            add(wanted, existing, new NewTopic(topics.context(), partitions, replication).configs(appendTime));
            add(wanted, existing, new NewTopic(topics.decisions(), partitions, replication).configs(appendTime));
            add(wanted, existing, new NewTopic(topics.feedback(), partitions, replication));
            add(wanted, existing, new NewTopic(topics.models(), 1, replication).configs(
                    Map.of("cleanup.policy", "compact", "message.timestamp.type", "LogAppendTime")));
            add(wanted, existing, new NewTopic(topics.metrics(), 1, replication));
            add(wanted, existing, new NewTopic(topics.deadLetter(), 1, replication));
            if (!wanted.isEmpty()) {
                admin.createTopics(wanted).all().get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics on " + bootstrap + ": " + e.getCause(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within 30 s", e);
        }
    }

    private static void add(List<NewTopic> wanted, Set<String> existing, NewTopic topic) {
        if (!existing.contains(topic.name())) {
            wanted.add(topic);
        }
    }
}

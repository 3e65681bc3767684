package dev.loopline.envs.kafka;

import dev.loopline.envs.BadRecord;
import dev.loopline.envs.BadRecords;
import dev.loopline.envs.Environment;
import dev.loopline.envs.Outcome;
import dev.loopline.envs.stats.DecisionSample;
import dev.loopline.envs.stats.DelaySchedule;
import dev.loopline.envs.stats.RunSnapshot;
import dev.loopline.envs.stats.RunStats;
import dev.loopline.envs.stats.WindowPoint;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.Feedback;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.RecordRejectedException;
import dev.loopline.schemas.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays an {@link Environment} against a running loop through Kafka only, as an outside client would.
 *
 * <ul>
 *   <li>A producer thread sends {@code env.next(now)} to the context topic (key = entity id, Avro
 *       single-object encoding), at most {@code ratePerSecond}, and never more than {@code maxInFlight}
 *       events ahead of the decisions; bad records from {@link BadRecords} are spread over the run.</li>
 *   <li>A consumer thread reads the decisions topic ({@code read_committed}, all partitions assigned,
 *       no consumer group). For each first-seen {@code decisionId} it asks the environment for the
 *       outcome and schedules the {@link Feedback} to be sent {@code delayMillis} later with the
 *       outcome's event time; lost outcomes are counted and never sent. Repeated decision ids are
 *       counted as duplicates and ignored.</li>
 *   <li>A sender thread sends feedback when it falls due.</li>
 * </ul>
 * Decision latency is the decision record's timestamp minus the context record's, both broker
 * append times when the topics use {@code message.timestamp.type=LogAppendTime}.
 *
 * <p>Lifecycle: {@link #start()}, then {@link #awaitProductionDone(Duration)},
 * {@link #awaitAllDecided(Duration)}, {@link #awaitFeedbackFlushed(long, Duration)}, and
 * {@link #close()}. {@link #snapshot()} and {@link #windows()} may be read at any time. Writes nothing
 * to stdout.
 */
public final class KafkaEnvironmentRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEnvironmentRunner.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long TOPIC_WAIT_MILLIS = 30_000;

    private final KafkaRunnerConfig config;
    private final Map<String, String> clientProperties;
    private final Environment env;
    private final RunStats stats = new RunStats();
    private final SingleObjectCodec<ContextEvent> contextCodec = Codecs.context();
    private final SingleObjectCodec<Decision> decisionCodec = Codecs.decision();
    private final SingleObjectCodec<Feedback> feedbackCodec = Codecs.feedback();
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final Semaphore inFlightPermits;
    private final AtomicLong undecided = new AtomicLong();
    private final CountDownLatch productionDone = new CountDownLatch(1);

    private final ReentrantLock scheduleLock = new ReentrantLock();
    private final Condition scheduleChanged = scheduleLock.newCondition();
    private final DelaySchedule<ProducerRecord<byte[], byte[]>> schedule = new DelaySchedule<>();
    private long flushHorizonMillis = -1;

    private volatile boolean stopProducing;
    private volatile boolean closing;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread producerThread;
    private Thread consumerThread;
    private Thread senderThread;

    public KafkaEnvironmentRunner(KafkaRunnerConfig config, Environment env) {
        this(config, env, Map.of());
    }

    /**
     * @param clientProperties given to its producer and consumer before its own settings (security: e.g.
     *                         {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config})
     */
    public KafkaEnvironmentRunner(KafkaRunnerConfig config, Environment env, Map<String, String> clientProperties) {
        this.config = config;
        this.env = env;
        this.clientProperties = Map.copyOf(clientProperties);
        this.inFlightPermits = new Semaphore(config.maxInFlight());
    }

    /**
     * Connects, assigns every partition of the decisions topic (waiting up to 30 s for it to exist),
     * fixes the start offsets, then starts the threads.
     *
     * @throws IllegalStateException when already started or the decisions topic does not appear
     */
    public synchronized void start() {
        if (producer != null) {
            throw new IllegalStateException("runner already started; build a new runner for another run");
        }
        producer = new KafkaProducer<>(producerProperties());
        consumer = new KafkaConsumer<>(consumerProperties());
        List<TopicPartition> partitions = decisionPartitions();
        consumer.assign(partitions);
        if (config.fromBeginning()) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        for (TopicPartition tp : partitions) {
            consumer.position(tp); // resolve now, before the first event is sent
        }
        consumerThread = thread("loopline-env-decisions", this::consumeLoop);
        senderThread = thread("loopline-env-feedback", this::sendLoop);
        producerThread = thread("loopline-env-context", this::produceLoop);
        consumerThread.start();
        senderThread.start();
        producerThread.start();
    }

    /** Asks the producer thread to stop after the current event; pending decisions and feedback go on. */
    public void stopProducing() {
        stopProducing = true;
    }

    /** Waits until the producer thread has sent its last event (maxEvents, duration or stop). */
    public boolean awaitProductionDone(Duration timeout) throws InterruptedException {
        return productionDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until production is done and every good context event sent has a decision. */
    public boolean awaitAllDecided(Duration timeout) throws InterruptedException {
        return waitFor(() -> productionDone.getCount() == 0 && undecided.get() == 0, timeout);
    }

    /**
     * Sends every scheduled feedback whose delay is at most {@code maxDelayMillis} when it falls due
     * (at once if already due) and waits until all of it is acknowledged; feedback with a longer delay,
     * scheduled now or later, is dropped and counted as {@code feedbackAbandonedAtShutdown}.
     *
     * @return true when nothing is pending any more
     */
    public boolean awaitFeedbackFlushed(long maxDelayMillis, Duration timeout) throws InterruptedException {
        scheduleLock.lock();
        try {
            flushHorizonMillis = Math.max(0, maxDelayMillis);
            int dropped = schedule.removeDelayedBeyond(flushHorizonMillis).size();
            stats.feedbackAbandoned(dropped);
            scheduleChanged.signalAll();
        } finally {
            scheduleLock.unlock();
        }
        return waitFor(() -> stats.snapshot().feedbackPending() == 0, timeout);
    }

    public RunSnapshot snapshot() {
        return stats.snapshot();
    }

    public List<WindowPoint> windows() {
        return stats.windows();
    }

    public RunStats stats() {
        return stats;
    }

    public KafkaRunnerConfig config() {
        return config;
    }

    /**
     * Stops all threads, counts feedback still scheduled as abandoned, and closes the Kafka clients.
     */
    @Override
    public void close() {
        stopProducing = true;
        closing = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        scheduleLock.lock();
        try {
            scheduleChanged.signalAll();
        } finally {
            scheduleLock.unlock();
        }
        join(producerThread);
        join(consumerThread);
        join(senderThread);
        scheduleLock.lock();
        try {
            stats.feedbackAbandoned(schedule.clear().size());
        } finally {
            scheduleLock.unlock();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }

    private void produceLoop() {
        BadRecords bad = new BadRecords(config.seed(), env.name());
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        long sent = 0;
        long badSent = 0;
        try {
            while (!stopProducing) {
                long elapsed = System.currentTimeMillis() - startMillis;
                if ((config.maxEvents() > 0 && sent >= config.maxEvents())
                        || (config.durationMillis() > 0 && elapsed >= config.durationMillis())) {
                    break;
                }
                for (long due = config.badRecordsDue(sent, elapsed); badSent < due; badSent++) {
                    sendBad(bad.next(System.currentTimeMillis()));
                }
                if (!inFlightPermits.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                if (config.ratePerSecond() > 0) {
                    long dueNanos = startNanos + (long) (sent * 1e9 / config.ratePerSecond());
                    long wait;
                    while ((wait = dueNanos - System.nanoTime()) > 0 && !stopProducing) {
                        LockSupport.parkNanos(Math.min(wait, 50_000_000L));
                    }
                }
                sendContext(env.next(System.currentTimeMillis()));
                sent++;
            }
            if (!closing) {
                for (; badSent < config.badRecords() && (config.maxEvents() > 0 || config.durationMillis() > 0);
                        badSent++) {
                    sendBad(bad.next(System.currentTimeMillis()));
                }
                producer.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("context producer stopped", e);
        } finally {
            productionDone.countDown();
        }
    }

    private void sendContext(ContextEvent event) {
        String id = event.getEventId();
        Tracked t = new Tracked(event);
        tracked.put(id, t);
        undecided.incrementAndGet();
        stats.inFlightChanged(1);
        byte[] key = event.getEntityId().getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(config.contextTopic(), key, contextCodec.encode(event)), (md, ex) -> {
            if (ex != null) {
                if (tracked.remove(id) != null && t.abandon()) {
                    settle();
                }
                stats.contextSendFailed();
                LOG.warn("context event {} not sent", id, ex);
            } else {
                stats.contextSent();
                long late = t.contextAppended(md.timestamp());
                if (late >= 0) {
                    stats.lateLatency(late);
                }
            }
        });
    }

    private void sendBad(BadRecord record) {
        String topic = record.topic() == BadRecord.Topic.CONTEXT ? config.contextTopic() : config.feedbackTopic();
        producer.send(new ProducerRecord<>(topic, record.key(), record.value()), (md, ex) -> {
            if (ex == null) {
                stats.badRecordSent();
            } else {
                LOG.warn("bad record {} not sent", record.kind(), ex);
            }
        });
    }

    private void consumeLoop() {
        try {
            while (!closing) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    onDecision(record);
                }
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (RuntimeException e) {
            LOG.error("decision consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void onDecision(ConsumerRecord<byte[], byte[]> record) {
        Decision d;
        try {
            d = decisionCodec.decode(record.value());
        } catch (RecordRejectedException e) {
            stats.decisionUndecodable();
            return;
        }
        stats.decisionRead(d.getPolicy(), d.getModelVersion(), record.timestamp());
        Tracked t = tracked.get(d.getDecisionId());
        if (t == null) {
            stats.unknownDecision();
            return;
        }
        Tracked.First first = t.decide(record.timestamp());
        if (first == null) {
            stats.duplicateDecision();
            return;
        }
        settle();
        ContextEvent event = first.event();
        String actionId = d.getActionId();
        Map<String, Double> oracle = event.getOracleRewards();
        double best = 0;
        double sum = 0;
        if (oracle != null && !oracle.isEmpty()) {
            best = Double.NEGATIVE_INFINITY;
            for (double v : oracle.values()) {
                best = Math.max(best, v);
                sum += v;
            }
            sum /= oracle.size();
        }
        boolean offered = event.getActions().stream().anyMatch(a -> a.getActionId().equals(actionId));
        if (!offered) {
            stats.invalidAction();
            stats.firstDecision(new DecisionSample(d.getPolicy(), d.getModelVersion(), d.getExplored(),
                    0, 0, best, sum, first.latencyMillis()));
            return;
        }
        double expected = oracle == null ? 0 : oracle.getOrDefault(actionId, 0.0);
        Outcome outcome = env.outcome(event, actionId);
        stats.firstDecision(new DecisionSample(d.getPolicy(), d.getModelVersion(), d.getExplored(),
                outcome.reward(), expected, best, sum, first.latencyMillis()));
        if (!outcome.delivered()) {
            stats.feedbackNeverDelivered();
            return;
        }
        long now = System.currentTimeMillis();
        Feedback feedback = Feedback.newBuilder()
                .setDecisionId(d.getDecisionId())
                .setEntityId(event.getEntityId())
                .setTimestamp(now + outcome.delayMillis())
                .setReward(outcome.reward())
                .build();
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(config.feedbackTopic(),
                event.getEntityId().getBytes(StandardCharsets.UTF_8), feedbackCodec.encode(feedback));
        stats.feedbackScheduled();
        scheduleLock.lock();
        try {
            if (flushHorizonMillis >= 0 && outcome.delayMillis() > flushHorizonMillis) {
                stats.feedbackAbandoned(1);
                return;
            }
            boolean newHead = outcome.delayMillis() == 0 || now + outcome.delayMillis() < schedule.nextDueAt();
            schedule.add(now, outcome.delayMillis(), out);
            if (newHead) {
                scheduleChanged.signalAll();
            }
        } finally {
            scheduleLock.unlock();
        }
    }

    private void sendLoop() {
        try {
            while (!closing) {
                List<ProducerRecord<byte[], byte[]>> due;
                scheduleLock.lock();
                try {
                    long now = System.currentTimeMillis();
                    due = schedule.takeDue(now);
                    if (due.isEmpty()) {
                        long wait = Math.min(schedule.nextDueAt() - now, POLL.toMillis());
                        scheduleChanged.await(Math.max(1, wait), TimeUnit.MILLISECONDS);
                        continue;
                    }
                } finally {
                    scheduleLock.unlock();
                }
                for (ProducerRecord<byte[], byte[]> record : due) {
                    producer.send(record, (md, ex) -> {
                        if (ex == null) {
                            stats.feedbackSent();
                        } else {
                            stats.feedbackSendFailed();
                            LOG.warn("feedback not sent", ex);
                        }
                    });
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("feedback sender stopped", e);
        }
    }

    private void settle() {
        undecided.decrementAndGet();
        stats.inFlightChanged(-1);
        inFlightPermits.release();
    }

    private List<TopicPartition> decisionPartitions() {
        long deadline = System.currentTimeMillis() + TOPIC_WAIT_MILLIS;
        while (true) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(config.decisionsTopic(), Duration.ofSeconds(5));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                infos = List.of();
            }
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> partitions = new ArrayList<>(infos.size());
                for (PartitionInfo info : infos) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
                return partitions;
            }
            if (System.currentTimeMillis() >= deadline) {
                throw new IllegalStateException("decisions topic \"" + config.decisionsTopic() + "\" has no partitions at "
                        + config.bootstrapServers() + " after " + TOPIC_WAIT_MILLIS
                        + " ms; create the topics (or start the job) before starting the runner");
            }
            LockSupport.parkNanos(200_000_000L);
        }
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "loopline-env-" + env.name());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "loopline-env-" + env.name() + "-decisions");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private static boolean waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

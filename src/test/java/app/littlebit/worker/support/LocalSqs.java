package app.littlebit.worker.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A real SQS API on loopback: ElasticMQ, in memory, in this JVM. Tests talk to it over HTTP with
 * the real SDK client, and its queues honour visibility timeouts, ChangeMessageVisibility and
 * redrive policies (dead-letter queues) as SQS does.
 *
 * <p>A test class registers one on a static field ({@link #forTestClass()}); other code starts
 * and closes its own ({@link #start()}).
 */
public final class LocalSqs implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private SQSRestServer server;
    private URI endpoint;
    private SqsClient sqs;

    private LocalSqs() {}

    /** Started now; the caller closes it. */
    public static LocalSqs start() throws IOException {
        LocalSqs local = new LocalSqs();
        local.open();
        return local;
    }

    /**
     * For {@code @RegisterExtension} on a static field: up before the class's own
     * {@code @BeforeAll} methods run, closed after its {@code @AfterAll} methods.
     */
    public static LocalSqs forTestClass() {
        return new LocalSqs();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void open() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .start();
        server.waitUntilStarted();
        endpoint = URI.create("http://127.0.0.1:" + port);
        sqs = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(LocalAwsServers.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalAwsServers.ACCESS_KEY, LocalAwsServers.SECRET_KEY)))
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public SqsClient sqs() {
        return sqs;
    }

    /** The queue's URL and its dead-letter queue's, as infra/service.yaml pairs them. */
    public record Queues(String url, String deadLetterUrl) {}

    /** A job queue whose messages move to a dead-letter queue after {@code maxReceiveCount} receives. */
    public Queues createQueues(String name, int maxReceiveCount) {
        String dlq = sqs.createQueue(r -> r.queueName(name + "-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String url = sqs.createQueue(r -> r.queueName(name)
                        .attributes(Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount
                                        + "\"}")))
                .queueUrl();
        return new Queues(url, dlq);
    }

    /** Visible plus in-flight messages: 0 only when every message was deleted or moved. */
    public int messagesOn(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    public int visibleOn(String queueUrl) {
        return Integer.parseInt(sqs.getQueueAttributes(
                        r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** The environment serve mode gets to reach this server, through the SDK's own variable. */
    public Map<String, String> awsEnvironment() {
        return Map.of("AWS_ENDPOINT_URL_SQS", endpoint.toString());
    }

    /** Closes what was started: when starting failed, JUnit still calls {@link #afterAll}. */
    @Override
    public void close() {
        if (sqs != null) {
            sqs.close();
        }
        if (server != null) {
            server.stopAndWait();
        }
    }
}

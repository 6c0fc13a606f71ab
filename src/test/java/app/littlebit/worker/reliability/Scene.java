package app.littlebit.worker.reliability;

import static app.littlebit.worker.reliability.Harness.KEY;
import static app.littlebit.worker.reliability.Harness.SAMPLE;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where every reliability test starts: the two servers up, a fault proxy in front of S3 (and one in
 * front of DynamoDB if asked for), and before each test an empty bucket and table holding just the
 * good two-hit recording and its Sample item, with no faults armed. Register it on a static field
 * with {@code @RegisterExtension}; it is ready before the class's own {@code @BeforeAll} runs.
 */
final class Scene implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private final boolean dynamoDbProxy;
    private FaultProxy s3;
    private FaultProxy dynamo;

    private Scene(boolean dynamoDbProxy) {
        this.dynamoDbProxy = dynamoDbProxy;
    }

    /** S3 through a fault proxy, DynamoDB direct. */
    static Scene withS3Proxy() {
        return new Scene(false);
    }

    /** Both services through fault proxies. */
    static Scene withS3AndDynamoDbProxies() {
        return new Scene(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Harness.start();
        s3 = FaultProxy.in(Harness.s3Endpoint());
        dynamo = dynamoDbProxy ? FaultProxy.in(Harness.dynamoDbEndpoint()) : null;
        reset();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        s3.close();
        if (dynamo != null) {
            dynamo.close();
        }
    }

    FaultProxy s3() {
        return s3;
    }

    FaultProxy dynamo() {
        return dynamo;
    }

    /** A task's environment ({@link Harness#env()}) reaching the services through the proxies. */
    Map<String, String> env() {
        return Harness.via(Harness.env(), s3, dynamo);
    }

    private void reset() throws IOException {
        Harness.clear();
        s3.reset();
        if (dynamo != null) {
            dynamo.reset();
        }
        Harness.putRecording(KEY, Harness.twoHitRecording());
        Harness.putSample(SAMPLE);
    }
}

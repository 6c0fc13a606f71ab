package app.littlebit.worker.support;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Real S3 and DynamoDB APIs on loopback: S3Proxy over an in-memory store, and AWS's DynamoDB Local
 * in memory. Tests talk to them over HTTP with the real SDK clients.
 */
public final class LocalAwsServers implements AutoCloseable {
    /** DynamoDB Local accepts only letters and digits in access keys. */
    public static final String ACCESS_KEY = "littlebittest";

    public static final String SECRET_KEY = "littlebitsecret";
    public static final String REGION = "us-east-1";

    private final S3Proxy s3Proxy;
    private final DynamoDBProxyServer dynamoDb;
    private final URI s3Endpoint;
    private final URI dynamoDbEndpoint;

    private LocalAwsServers(S3Proxy s3Proxy, URI s3Endpoint, DynamoDBProxyServer dynamoDb, URI dynamoDbEndpoint) {
        this.s3Proxy = s3Proxy;
        this.s3Endpoint = s3Endpoint;
        this.dynamoDb = dynamoDb;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
    }

    public static LocalAwsServers start() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials("identity", "credential")
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + freePort()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(proxy.getState()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        int dynamoPort = freePort();
        DynamoDBProxyServer dynamo = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(dynamoPort)});
        dynamo.start();
        return new LocalAwsServers(
                proxy,
                URI.create("http://127.0.0.1:" + proxy.getPort()),
                dynamo,
                URI.create("http://127.0.0.1:" + dynamoPort));
    }

    /** The environment a worker task would get, pointed at these servers through the SDK's own variables. */
    public Map<String, String> awsEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint.toString());
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        env.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        return env;
    }

    public S3Client s3() {
        return S3Client.builder()
                .endpointOverride(s3Endpoint)
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    public DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder()
                .endpointOverride(dynamoDbEndpoint)
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .build();
    }

    /** The app's bucket and its Sample table (keyed by a string {@code id}), as the app's stack has them. */
    public static void createAppStorage(S3Client s3, DynamoDbClient dynamoDb, String bucket, String table) {
        s3.createBucket(b -> b.bucket(bucket));
        dynamoDb.createTable(t -> t.tableName(table)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .billingMode("PAY_PER_REQUEST"));
    }

    /** A Sample item as the app creates it before starting the job: its id, a name, its owner. */
    public static void putSample(DynamoDbClient dynamoDb, String table, String id, String owner) {
        dynamoDb.putItem(r -> r.tableName(table)
                .item(Map.of(
                        "id",
                        AttributeValue.fromS(id),
                        "name",
                        AttributeValue.fromS("kick"),
                        "owner",
                        AttributeValue.fromS(owner))));
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        s3Proxy.stop();
        dynamoDb.stop();
    }
}

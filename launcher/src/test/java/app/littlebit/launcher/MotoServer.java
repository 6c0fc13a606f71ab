package app.littlebit.launcher;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * moto_server (pip's moto[server], an independent implementation of the AWS APIs) on a free
 * loopback port, for ECS, SQS and S3. CI installs it (.ci/install-linters.sh); where it is missing
 * the tests that need it are skipped, saying so, but not in CI (CI=true), where they fail.
 */
final class MotoServer implements AutoCloseable {
    static final String REGION = "eu-west-1";
    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static MotoServer start(Path log) throws Exception {
        boolean installed = System.getenv("PATH") != null
                && java.util.Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                        .anyMatch(d -> Files.isExecutable(Path.of(d, "moto_server")));
        if (!installed) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("moto_server is not installed: bash .ci/install-linters.sh installs it");
            }
            Assumptions.abort("moto_server is not installed (pip install 'moto[server]'); skipped");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                http.send(
                        HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return new MotoServer(process, endpoint);
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    process.destroy();
                    throw new AssertionError("moto_server did not start: " + Files.readString(log));
                }
                Thread.sleep(200);
            }
        }
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.destroy();
    }
}

package app.littlebit.worker.reliability;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small HTTP/1.1 proxy on loopback, put between the worker and S3Proxy or DynamoDB Local, that
 * injects real network faults: error responses (S3 500/503 SlowDown, DynamoDB throttling), reset
 * connections, responses cut off halfway, and requests held until a test lets them go. Requests
 * are forwarded byte for byte (the Host header the SDK signed is kept), so signatures still verify.
 * It serves one request per connection and tells both sides to close, so every SDK attempt is one
 * connection and the log below counts attempts.
 */
final class FaultProxy implements AutoCloseable {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final URI upstream;
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Request> seen = Collections.synchronizedList(new ArrayList<>());

    /** A request as it reached the proxy. Header names are lower case. */
    // A request's body as received, only searched (bodyContains): never compared or hashed.
    @SuppressWarnings("ArrayRecordComponent")
    record Request(String method, String path, Map<String, String> headers, byte[] body) {
        /** DynamoDB's operation, e.g. {@code UpdateItem}; empty for S3. */
        String operation() {
            String target = headers.getOrDefault("x-amz-target", "");
            return target.substring(target.indexOf('.') + 1);
        }

        boolean bodyContains(String text) {
            return new String(body, StandardCharsets.UTF_8).contains(text);
        }

        /** S3 path-style: {@code /bucket/key}, the key URL-decoded. */
        boolean isS3(String method, String key) {
            String plainPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            return this.method.equals(method)
                    && java.net.URLDecoder.decode(plainPath, StandardCharsets.UTF_8)
                            .endsWith("/" + key);
        }

        @Override
        public String toString() {
            return method + " " + path + (operation().isEmpty() ? "" : " " + operation());
        }
    }

    /** What happens to a matching request instead of (or before) forwarding it. */
    sealed interface Fault permits Respond, Reset, CutResponse, Hold {}

    /** Answer with this response; the request never reaches the server. */
    record Respond(int status, String contentType, String body) implements Fault {}

    /** Close the connection with a TCP reset after reading the request (not forwarded). */
    record Reset() implements Fault {}

    /** Forward, then pass on the response head and half of its body, then reset the connection. */
    record CutResponse() implements Fault {}

    /** Hold the request until {@code release} opens, then forward it; {@code held} opens on arrival. */
    record Hold(CountDownLatch held, CountDownLatch release) implements Fault {}

    static Fault s3Error(int status, String code) {
        return new Respond(
                status,
                "application/xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                        + "</Code><Message>injected by FaultProxy</Message><RequestId>fault</RequestId></Error>");
    }

    static Fault dynamoError(int status, String type) {
        return new Respond(
                status,
                "application/x-amz-json-1.0",
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type
                        + "\",\"message\":\"injected by FaultProxy\"}");
    }

    static final Fault RESET = new Reset();
    static final Fault CUT_RESPONSE = new CutResponse();

    private record Rule(Predicate<Request> when, Fault fault, AtomicInteger remaining) {}

    private FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static FaultProxy in(URI upstream) throws IOException {
        return new FaultProxy(upstream);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Applies {@code fault} to the next {@code times} requests that match (rules are tried in order). */
    FaultProxy inject(Predicate<Request> when, Fault fault, int times) {
        rules.add(new Rule(when, fault, new AtomicInteger(times)));
        return this;
    }

    /** Applies {@code fault} to every matching request from now on. */
    FaultProxy always(Predicate<Request> when, Fault fault) {
        return inject(when, fault, Integer.MAX_VALUE);
    }

    void reset() {
        rules.clear();
        seen.clear();
    }

    /** Every request seen so far, in arrival order. */
    List<Request> requests() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    long count(Predicate<Request> which) {
        return requests().stream().filter(which).count();
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(60_000);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            List<String> lines = new ArrayList<>(List.of(new String(head, StandardCharsets.ISO_8859_1).split("\r\n")));
            String[] requestLine = lines.remove(0).split(" ");
            Map<String, String> headers = headers(lines);
            if (headers.containsKey("transfer-encoding")) {
                throw new IllegalStateException("FaultProxy handles Content-Length bodies only");
            }
            if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            Request request = new Request(requestLine[0], requestLine[1], headers, body);
            seen.add(request);
            Fault fault = faultFor(request);
            if (fault instanceof Respond response) {
                respond(out, request, response);
            } else if (fault instanceof Reset) {
                resetConnection(client);
            } else {
                if (fault instanceof Hold hold) {
                    hold.held().countDown();
                    hold.release().await(60, TimeUnit.SECONDS);
                }
                forward(client, requestLine, lines, body, fault instanceof CutResponse);
            }
        } catch (IOException | InterruptedException e) {
            // the client or the server went away: nothing to pass on
        }
    }

    private Fault faultFor(Request request) {
        for (Rule rule : rules) {
            if (rule.when().test(request) && rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return rule.fault();
            }
        }
        return null;
    }

    private void forward(Socket client, String[] requestLine, List<String> headerLines, byte[] body, boolean cut)
            throws IOException {
        try (Socket server = new Socket(upstream.getHost(), upstream.getPort())) {
            StringBuilder head = new StringBuilder(String.join(" ", requestLine)).append("\r\n");
            for (String line : headerLines) {
                String name = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                if (!name.equals("connection") && !name.equals("expect") && !name.equals("keep-alive")) {
                    head.append(line).append("\r\n");
                }
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream toServer = server.getOutputStream();
            toServer.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            toServer.write(body);
            toServer.flush();

            InputStream fromServer = new BufferedInputStream(server.getInputStream());
            byte[] responseHead = readHead(fromServer);
            if (responseHead == null) {
                return;
            }
            List<String> lines =
                    new ArrayList<>(List.of(new String(responseHead, StandardCharsets.ISO_8859_1).split("\r\n")));
            StringBuilder rewritten = new StringBuilder(lines.remove(0)).append("\r\n");
            for (String line : lines) {
                String name = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                if (!name.equals("connection") && !name.equals("keep-alive")) {
                    rewritten.append(line).append("\r\n");
                }
            }
            rewritten.append("Connection: close\r\n\r\n");
            OutputStream out = client.getOutputStream();
            out.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (cut) {
                long length = Long.parseLong(headers(lines).getOrDefault("content-length", "0"));
                out.write(fromServer.readNBytes((int) (length / 2)));
                out.flush();
                resetConnection(client);
            } else {
                fromServer.transferTo(out);
                out.flush();
            }
        }
    }

    private static void respond(OutputStream out, Request request, Respond response) throws IOException {
        byte[] body =
                request.method().equals("HEAD") ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + response.status() + " Injected\r\n"
                + "Content-Type: " + response.contentType() + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** SO_LINGER 0 makes close() send RST, which the client sees as "Connection reset". */
    private static void resetConnection(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static Map<String, String> headers(List<String> lines) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        return headers;
    }

    /** Reads up to and including the blank line that ends an HTTP head; null at end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return head.size() == 0 ? null : head.toByteArray();
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("HTTP head too long");
            }
        }
        byte[] bytes = head.toByteArray();
        return java.util.Arrays.copyOf(bytes, bytes.length - 4);
    }
}

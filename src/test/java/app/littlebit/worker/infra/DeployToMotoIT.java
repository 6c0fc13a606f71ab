package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * All six templates deployed with the real AWS CLI to moto_server, an independent implementation
 * of the AWS APIs, in the README's order, the worker and service stacks through the CloudFormation
 * execution role; then deploy.yml's own steps, run as written in the workflow, update the worker
 * stack to a new image, upload a new launcher jar and update the service stack to both. The CLI's
 * --debug log says which calls those steps made; the deploy role must allow every one of them (it
 * lacked GetTemplateSummary, so every deploy and rollback failed). moto does not enforce IAM, so
 * the policy is checked against the calls rather than by moto. Every role the three stacks make
 * carries the permissions boundary the -cfn-role stack made (moto stores it; it does not enforce
 * the boundary, nor the execution role's condition that requires it: CloudFormationExecutionRoleTest).
 * None of those stacks has a managed policy: the app's RunTaskPolicy and InvokeLauncherPolicy come
 * from app-policies.yaml, deployed as an admin would from their outputs and attached to the app's role.
 */
class DeployToMotoIT {
    private static final String REGION = "eu-west-1";
    private static final Pattern OPERATION = Pattern.compile("OperationModel\\(name=(\\w+)\\)");

    @TempDir
    static Path dir;

    private static Process moto;
    private static String endpoint;

    @BeforeAll
    static void startMoto() throws Exception {
        Repo.requireTool("moto_server", Repo.onPath("moto_server"));
        Repo.requireTool("aws", Repo.onPath("aws"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        moto = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("moto.log").toFile())
                .start();
        endpoint = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                http.send(
                        HttpRequest.newBuilder(URI.create(endpoint + "/moto-api/"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !moto.isAlive()) {
                    throw new AssertionError("moto_server did not start: " + Files.readString(dir.resolve("moto.log")));
                }
                Thread.sleep(200);
            }
        }
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.destroy();
        }
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    /** The AWS CLI against moto; {@code script} runs through bash with the environment given. */
    private static Result bash(String script, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-eo", "pipefail", "-c", script)
                .directory(Repo.path(".").toFile())
                .redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment()
                .putAll(Map.of(
                        "AWS_ACCESS_KEY_ID",
                        "test",
                        "AWS_SECRET_ACCESS_KEY",
                        "test",
                        "AWS_DEFAULT_REGION",
                        REGION,
                        "AWS_REGION",
                        REGION,
                        "AWS_ENDPOINT_URL",
                        endpoint));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), script);
        return new Result(
                process.exitValue(),
                Files.readString(dir.resolve("out")).strip(),
                Files.readString(dir.resolve("err")));
    }

    private static String aws(String arguments) throws Exception {
        Result result = bash("aws " + arguments, Map.of());
        assertEquals(0, result.exitCode(), arguments + "\n" + result.stderr());
        return result.stdout();
    }

    private static void createStack(String name, String template, String parameters) throws Exception {
        // A template that names an IAM resource (the -cfn-role stack's boundary) needs CAPABILITY_NAMED_IAM.
        String capability = Repo.text("infra/" + template).contains("ManagedPolicyName:")
                ? "CAPABILITY_NAMED_IAM"
                : "CAPABILITY_IAM";
        aws("cloudformation create-stack --stack-name " + name + " --template-body file://infra/" + template
                + " --capabilities " + capability + (parameters.isEmpty() ? "" : " --parameters " + parameters));
        aws("cloudformation wait stack-create-complete --stack-name " + name);
    }

    private static String output(String stack, String key) throws Exception {
        return aws("cloudformation describe-stacks --stack-name " + stack + " --query \"Stacks[0].Outputs[?OutputKey=='"
                + key + "'].OutputValue\" --output text");
    }

    private static String physicalId(String stack, String resource) throws Exception {
        return aws("cloudformation describe-stack-resource --stack-name " + stack + " --logical-resource-id " + resource
                + " --query StackResourceDetail.PhysicalResourceId --output text");
    }

    /** A step of deploy.yml's deploy job, its GitHub expressions filled in, its AWS calls logged. */
    private static String deployStep(String name, Map<String, String> expressions) {
        JsonNode job = Repo.yaml(".github/workflows/deploy.yml").path("jobs").path("deploy");
        JsonNode step = Repo.list(job.path("steps")).stream()
                .filter(s -> s.path("name").asText().equals(name))
                .findFirst()
                .orElseThrow();
        // The step's env: (step outputs reach the script only that way), then its script.
        StringBuilder exports = new StringBuilder();
        step.path("env")
                .fields()
                .forEachRemaining(e -> exports.append("export ")
                        .append(e.getKey())
                        .append("='")
                        .append(e.getValue().asText())
                        .append("'\n"));
        String script = exports + step.path("run").asText();
        for (Map.Entry<String, String> e : expressions.entrySet()) {
            script = script.replace("${{ " + e.getKey() + " }}", e.getValue());
        }
        assertTrue(!script.contains("${{"), "unfilled expression in " + script);
        return script.replace("aws cloudformation deploy", "aws --debug cloudformation deploy")
                .replace("aws s3api put-object", "aws --debug s3api put-object");
    }

    @Test
    void templatesDeployInTheReadmesOrderAndDeployYmlUpdatesThemWithOnlyWhatTheDeployRoleAllows() throws Exception {
        String vpc = aws("ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text");
        String subnet = aws("ec2 create-subnet --vpc-id " + vpc
                + " --cidr-block 10.0.1.0/24 --query Subnet.SubnetId --output text");
        String routes = aws("ec2 describe-route-tables --filters Name=vpc-id,Values=" + vpc
                + " --query 'RouteTables[0].RouteTableId' --output text");
        String topic = aws("sns create-topic --name little-bit-alarms --query TopicArn --output text");
        String image = "123456789012.dkr.ecr." + REGION + ".amazonaws.com/little-bit-audio-worker:";

        createStack("little-bit-audio-worker-ecr", "ecr.yaml", "");
        createStack(
                "little-bit-audio-worker-cfn-role",
                "cloudformation-execution-role.yaml",
                "ParameterKey=DeployBucketName,ParameterValue=little-bit-deploy"
                        + " ParameterKey=BucketName,ParameterValue=little-bit-media"
                        + " ParameterKey=StatusTableName,ParameterValue=Sample");
        String cfnRole = aws("iam get-role --role-name "
                + physicalId("little-bit-audio-worker-cfn-role", "ExecutionRole") + " --query Role.Arn --output text");
        createStack(
                "little-bit-audio-worker-github",
                "github-oidc.yaml",
                "ParameterKey=GitHubRepository,ParameterValue=little-bit/audio-worker "
                        + "ParameterKey=CloudFormationExecutionRoleArn,ParameterValue=" + cfnRole
                        + " ParameterKey=DeployBucketName,ParameterValue=little-bit-deploy");
        aws("cloudformation create-stack --stack-name little-bit-audio-worker --template-body file://infra/worker.yaml"
                + " --capabilities CAPABILITY_IAM --role-arn " + cfnRole + " --parameters"
                + " ParameterKey=ImageUri,ParameterValue=" + image
                + "1111111 ParameterKey=BucketName,ParameterValue=little-bit-media"
                + " ParameterKey=StatusTableName,ParameterValue=Sample ParameterKey=VpcId,ParameterValue=" + vpc
                + " ParameterKey=SubnetIds,ParameterValue=" + subnet + " ParameterKey=AlarmTopicArn,ParameterValue="
                + topic
                + " ParameterKey=VpcEndpoints,ParameterValue=true ParameterKey=RouteTableIds,ParameterValue=" + routes
                + " ParameterKey=CapacityProvider,ParameterValue=FARGATE_SPOT");
        aws("cloudformation wait stack-create-complete --stack-name little-bit-audio-worker");
        createStack(
                "little-bit-audio-worker-task-stopped",
                "task-stopped.yaml",
                "ParameterKey=WorkerStackName,ParameterValue=little-bit-audio-worker "
                        + "ParameterKey=StatusTableName,ParameterValue=Sample ParameterKey=AlarmTopicArn,ParameterValue="
                        + topic);

        // Service mode: the queue, its dead-letter queue, the serve service in the worker's cluster, the
        // launcher. The first deploy by hand, as the README says: the jar, then the stack through the role.
        aws("s3 mb s3://little-bit-deploy");
        Files.writeString(dir.resolve("launcher.jar"), "stand-in for launcher/target/audio-worker-launcher-lambda.jar");
        aws("s3 cp " + dir.resolve("launcher.jar") + " s3://little-bit-deploy/audio-worker-launcher/1111111.jar");
        aws("cloudformation create-stack --stack-name little-bit-audio-worker-service --template-body"
                + " file://infra/service.yaml --capabilities CAPABILITY_IAM --role-arn " + cfnRole + " --parameters"
                + " ParameterKey=WorkerStackName,ParameterValue=little-bit-audio-worker ParameterKey=ImageUri,ParameterValue="
                + image + "1111111 ParameterKey=BucketName,ParameterValue=little-bit-media"
                + " ParameterKey=StatusTableName,ParameterValue=Sample ParameterKey=VpcId,ParameterValue=" + vpc
                + " ParameterKey=SubnetIds,ParameterValue=" + subnet
                + " ParameterKey=AlarmTopicArn,ParameterValue=" + topic
                + " ParameterKey=LauncherCodeBucket,ParameterValue=little-bit-deploy"
                + " ParameterKey=LauncherCodeKey,ParameterValue=audio-worker-launcher/1111111.jar"
                + " ParameterKey=MinTasks,ParameterValue=0 ParameterKey=S3Trigger,ParameterValue=true");
        aws("cloudformation wait stack-create-complete --stack-name little-bit-audio-worker-service");
        String queueUrl = aws("cloudformation describe-stacks --stack-name little-bit-audio-worker-service"
                + " --query \"Stacks[0].Outputs[?OutputKey=='QueueUrl'].OutputValue\" --output text");
        JsonNode redrive = Repo.JSON.readTree(Repo.JSON
                .readTree(aws("sqs get-queue-attributes --endpoint-url " + endpoint + " --queue-url " + queueUrl
                        + " --attribute-names RedrivePolicy --output json"))
                .at("/Attributes/RedrivePolicy")
                .asText());
        assertEquals(5, redrive.get("maxReceiveCount").asInt());
        assertTrue(redrive.get("deadLetterTargetArn").asText().contains("DeadLetterQueue"), redrive.toString());
        // Every role of the three stacks carries the boundary the -cfn-role stack made: the ARN the
        // templates derive from the worker stack's name is that policy's. (moto stores a role's
        // boundary but enforces neither it nor the execution role's conditions.)
        String boundary = aws("cloudformation describe-stacks --stack-name little-bit-audio-worker-cfn-role --query"
                + " \"Stacks[0].Outputs[?OutputKey=='PermissionsBoundaryArn'].OutputValue\" --output text");
        assertEquals("arn:aws:iam::123456789012:policy/deploy/little-bit-audio-worker-permissions-boundary", boundary);
        assertEquals(boundary, aws("iam get-policy --policy-arn " + boundary + " --query Policy.Arn --output text"));
        Map<String, String> boundaries = new java.util.TreeMap<>();
        for (String stack : List.of(
                "little-bit-audio-worker", "little-bit-audio-worker-task-stopped", "little-bit-audio-worker-service")) {
            for (JsonNode role : Repo.JSON.readTree(aws("cloudformation describe-stack-resources --stack-name " + stack
                    + " --query \"StackResources[?ResourceType=='AWS::IAM::Role'].PhysicalResourceId\""
                    + " --output json"))) {
                boundaries.put(
                        role.asText(),
                        aws("iam get-role --role-name " + role.asText()
                                + " --query Role.PermissionsBoundary.PermissionsBoundaryArn --output text"));
            }
        }
        assertEquals(6, boundaries.size(), boundaries.toString());
        assertEquals(Set.of(boundary), Set.copyOf(boundaries.values()), boundaries.toString());

        // The app's policies: no stack deployed through the execution role has a managed policy; an
        // admin deploys app-policies.yaml from the worker and service stacks' outputs, attaching both
        // to the app's CreateSampleRecord role (a stand-in here).
        for (String stack : List.of(
                "little-bit-audio-worker", "little-bit-audio-worker-task-stopped", "little-bit-audio-worker-service")) {
            assertEquals(
                    "[]",
                    Repo.JSON
                            .readTree(aws("cloudformation describe-stack-resources --stack-name " + stack
                                    + " --query \"StackResources[?ResourceType=='AWS::IAM::ManagedPolicy'].LogicalResourceId\""
                                    + " --output json"))
                            .toString(),
                    stack);
        }
        aws("iam create-role --role-name CreateSampleRecord-lambda --assume-role-policy-document"
                + " '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'");
        String launcher = output("little-bit-audio-worker-service", "LauncherFunctionArn");
        createStack(
                "little-bit-audio-worker-app-policies",
                "app-policies.yaml",
                "ParameterKey=ClusterArn,ParameterValue=" + output("little-bit-audio-worker", "ClusterArn")
                        + " ParameterKey=TaskFamily,ParameterValue=" + output("little-bit-audio-worker", "TaskFamily")
                        + " ParameterKey=TaskRoleArn,ParameterValue=" + output("little-bit-audio-worker", "TaskRoleArn")
                        + " ParameterKey=ExecutionRoleArn,ParameterValue="
                        + output("little-bit-audio-worker", "ExecutionRoleArn")
                        + " ParameterKey=LauncherFunctionArn,ParameterValue=" + launcher
                        + " ParameterKey=AppRoleName,ParameterValue=CreateSampleRecord-lambda");
        String runTaskPolicy = output("little-bit-audio-worker-app-policies", "RunTaskPolicyArn");
        String invokePolicy = output("little-bit-audio-worker-app-policies", "InvokeLauncherPolicyArn");
        assertEquals(
                new TreeSet<>(List.of(runTaskPolicy, invokePolicy)),
                new TreeSet<>(List.of(aws("iam list-attached-role-policies --role-name CreateSampleRecord-lambda"
                                + " --query AttachedPolicies[].PolicyArn --output text")
                        .split("\\s+"))));
        JsonNode runTask = Repo.JSON.readTree(aws("iam get-policy-version --policy-arn " + runTaskPolicy
                + " --version-id v1 --query PolicyVersion.Document --output json"));
        assertEquals(
                output("little-bit-audio-worker", "ClusterArn"),
                runTask.at("/Statement/0/Condition/ArnEquals/ecs:cluster").asText());
        assertEquals(
                "arn:aws:ecs:" + REGION + ":123456789012:task/" + physicalId("little-bit-audio-worker", "Cluster")
                        + "/*",
                runTask.at("/Statement/2/Resource").asText());
        assertEquals(
                launcher,
                Repo.JSON
                        .readTree(aws("iam get-policy-version --policy-arn " + invokePolicy
                                + " --version-id v1 --query PolicyVersion.Document --output json"))
                        .at("/Statement/0/Resource")
                        .asText());

        String cluster = physicalId("little-bit-audio-worker", "Cluster");
        String service = physicalId("little-bit-audio-worker-service", "Service");
        assertEquals(
                "0 little-bit-audio-worker-serve",
                aws("ecs describe-services --cluster " + cluster + " --services " + service
                                + " --query \"services[0].[desiredCount, taskDefinition]\" --output text")
                        .replaceAll("\\s+", " ")
                        .replaceAll("arn:.*task-definition/([^:]+):\\d+", "$1"));

        // deploy.yml, as written, with a new image and the launcher of a new commit: the jar uploaded,
        // then the worker and service stacks updated through the execution role, parameters kept.
        String sha = "2222222222222222222222222222222222222222";
        Path githubOutput = Files.writeString(dir.resolve("github-output"), "");
        Path jar = Files.writeString(dir.resolve("launcher-" + sha + ".jar"), "stand-in for the launcher of " + sha);
        Map<String, String> env = Map.of(
                "WORKER_STACK",
                "little-bit-audio-worker",
                "TASK_STOPPED_STACK",
                "little-bit-audio-worker-task-stopped",
                "SERVICE_STACK",
                "little-bit-audio-worker-service",
                "DEPLOY_BUCKET",
                "little-bit-deploy",
                "CFN_ROLE",
                cfnRole,
                "GITHUB_SHA",
                sha,
                "GITHUB_OUTPUT",
                githubOutput.toString());
        Map<String, String> expressions = new HashMap<>(Map.of("steps.image.outputs.uri", image + "2222222"));
        // Each call a step made, as "<action> <resource>" in the deploy role's terms.
        Set<String> calls = new TreeSet<>();
        // (Not "Deploy task-stopped handler stack": with nothing to change, moto refuses the change
        // set itself, where CloudFormation makes an empty one that --no-fail-on-empty-changeset accepts.)
        for (String step : List.of("Upload the launcher", "Deploy worker stack", "Deploy service stack")) {
            // moto 5.2 fails to reuse the previous value of a List parameter (AttributeError in
            // load_parameters), which CloudFormation does: here, and only here, they are repeated.
            String lists = step.equals("Deploy worker stack")
                    ? " SubnetIds=" + subnet + " RouteTableIds=" + routes
                    : " SubnetIds=" + subnet;
            String script = deployStep(step, expressions)
                    .replace("launcher/target/audio-worker-launcher-lambda.jar", jar.toString())
                    .replace("\"ImageUri=$IMAGE_URI\"", "\"ImageUri=$IMAGE_URI\"" + lists);
            Result result = bash(script, env);
            assertEquals(
                    0,
                    result.exitCode(),
                    step + ":\n"
                            + result.stderr()
                                    .lines()
                                    .filter(l -> !l.contains("DEBUG"))
                                    .reduce("", (a, b) -> a + b + "\n"));
            String resource;
            if (step.equals("Upload the launcher")) {
                String key = Files.readString(githubOutput).strip().replaceFirst("^key=", "");
                assertEquals("audio-worker-launcher/" + sha + ".jar", key);
                expressions.put("steps.launcher.outputs.key", key);
                resource = "s3 arn:${AWS::Partition}:s3:::${DeployBucketName}/" + key;
            } else {
                resource = "cloudformation arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/"
                        + (step.equals("Deploy worker stack") ? "${WorkerStackName}" : "${ServiceStackName}") + "/x";
            }
            Matcher operation = OPERATION.matcher(result.stderr());
            while (operation.find()) {
                calls.add(resource.replaceFirst(" ", ":" + operation.group(1) + " "));
            }
        }
        // The same commit's launcher again (a re-run, a rollback from the same head), with other
        // bytes: S3 refuses to overwrite the key (--if-none-match '*'), the step takes that as done.
        Path rebuilt = Files.writeString(dir.resolve("rebuilt-" + sha + ".jar"), "other bytes for " + sha);
        Result again = bash(
                deployStep("Upload the launcher", expressions)
                        .replace("launcher/target/audio-worker-launcher-lambda.jar", rebuilt.toString()),
                env);
        assertEquals(0, again.exitCode(), again.stderr());
        assertTrue(again.stdout().contains("is already there"), again.stdout() + again.stderr());
        // (The s3 cp below finds the first jar's bytes.)
        assertTrue(
                calls.contains("s3:PutObject arn:${AWS::Partition}:s3:::${DeployBucketName}/audio-worker-launcher/"
                        + sha + ".jar"),
                calls.toString());
        for (String stack : List.of("${WorkerStackName}", "${ServiceStackName}")) {
            for (String call : List.of(
                    "DescribeStacks",
                    "GetTemplateSummary",
                    "CreateChangeSet",
                    "DescribeChangeSet",
                    "ExecuteChangeSet")) {
                assertTrue(
                        calls.contains("cloudformation:" + call
                                + " arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/"
                                + stack + "/x"),
                        call + " on " + stack + " in " + calls);
            }
        }
        // moto applies the change sets (it does not re-register the task definitions on update,
        // so the stacks' parameters are what shows the new image and launcher).
        assertEquals(
                "UPDATE_COMPLETE " + image + "2222222",
                aws("cloudformation describe-stacks --stack-name"
                                + " little-bit-audio-worker --query \"[Stacks[0].StackStatus, Stacks[0].Parameters[?ParameterKey=='ImageUri']"
                                + ".ParameterValue | [0]]\" --output text")
                        .replace('\t', ' '));
        assertEquals(
                "UPDATE_COMPLETE " + image + "2222222 little-bit-deploy audio-worker-launcher/" + sha + ".jar 0",
                aws("cloudformation describe-stacks --stack-name little-bit-audio-worker-service --query"
                                + " \"[Stacks[0].StackStatus, Stacks[0].Parameters[?ParameterKey=='ImageUri'].ParameterValue | [0],"
                                + " Stacks[0].Parameters[?ParameterKey=='LauncherCodeBucket'].ParameterValue | [0],"
                                + " Stacks[0].Parameters[?ParameterKey=='LauncherCodeKey'].ParameterValue | [0],"
                                + " Stacks[0].Parameters[?ParameterKey=='MinTasks'].ParameterValue | [0]]\" --output text")
                        .replaceAll("\\s+", " "));
        assertEquals(
                Files.readString(jar),
                aws("s3 cp s3://little-bit-deploy/audio-worker-launcher/" + sha + ".jar -"),
                "the jar deploy.yml uploaded is the one the service stack now names");
        // ...and the launcher function now runs it (Lambda's CodeSha256: base64 of the code's SHA-256).
        // (Its ARN from the stack's output: moto answers describe-stack-resource with a 500 after an update.)
        assertEquals(
                Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar))),
                aws("lambda get-function --function-name "
                        + aws("cloudformation describe-stacks --stack-name little-bit-audio-worker-service --query"
                                + " \"Stacks[0].Outputs[?OutputKey=='LauncherFunctionArn'].OutputValue\" --output text")
                        + " --query Configuration.CodeSha256 --output text"));

        List<JsonNode> deployRole = Repo.roleStatements(Repo.template("infra/github-oidc.yaml"), "DeployRole");
        List<String> denied = new ArrayList<>();
        for (String call : calls) {
            String[] actionAndResource = call.split(" ", 2);
            if (!IamPoliciesTest.allows(deployRole, actionAndResource[0], actionAndResource[1])) {
                denied.add(call);
            }
        }
        assertEquals(List.of(), denied, "calls deploy.yml made that the deploy role does not allow");
    }
}

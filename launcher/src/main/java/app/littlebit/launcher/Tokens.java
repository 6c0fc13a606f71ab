package app.littlebit.launcher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Idempotency tokens: the same request always gets the same token, within RunTask's 64 characters. */
final class Tokens {
    private Tokens() {}

    /** From the sample, the recording and the params: a new upload or new params is a new request. */
    static String of(JobVariables job) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            job.asMap()
                    .forEach((name, value) -> sha.update((name + "=" + value + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String suffixed(String token, int attempt) {
        return token.substring(0, 60) + "-" + String.format("%03d", attempt);
    }
}

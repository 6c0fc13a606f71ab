package app.littlebit.worker.job;

/** Makes untrusted text safe to quote in a message, a log line or object metadata. */
final class LogText {
    private static final int MAX_LENGTH = 200;

    private LogText() {}

    /** Control and non-ASCII characters become \\uXXXX escapes, and long text is shortened. */
    static String safe(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (out.length() >= MAX_LENGTH) {
            out.append("…");
        }
        return out.toString();
    }
}

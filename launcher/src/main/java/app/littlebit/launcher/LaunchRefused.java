package app.littlebit.launcher;

/** The sample's request breaks the worker's rules: nothing was started, and retrying cannot help. */
public final class LaunchRefused extends RuntimeException {
    public LaunchRefused(String message) {
        super(message);
    }
}

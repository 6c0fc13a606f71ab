package app.littlebit.worker.job;

/** The worker's version, from the jar manifest; "dev" when run from classes. */
public final class WorkerVersion {
    private WorkerVersion() {}

    public static String get() {
        String version = WorkerVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}

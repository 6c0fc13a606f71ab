package app.littlebit.worker;

/** The worker's version, from the jar manifest; "dev" when run from classes. */
final class WorkerVersion {
    private WorkerVersion() {
    }

    static String get() {
        String version = WorkerVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}

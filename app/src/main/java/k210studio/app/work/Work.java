package k210studio.app.work;

/** A piece of background work: it reports progress and checks for cancellation through {@link Progress}. */
@FunctionalInterface
public interface Work<T> {
    T run(Progress progress) throws Exception;
}

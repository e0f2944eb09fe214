package org.medida.edge.api;

/** The outcome of a meter conversation or of one request in it: a value, or a typed failure. */
public sealed interface DriverResult<T> {

    record Success<T>(T value) implements DriverResult<T> {
    }

    record Failed<T>(Failure failure) implements DriverResult<T> {
    }

    static <T> DriverResult<T> success(T value) {
        return new Success<>(value);
    }

    static <T> DriverResult<T> failed(FailureKind kind, String detail) {
        return new Failed<>(new Failure(kind, detail));
    }

    default boolean isSuccess() {
        return this instanceof Success;
    }
}

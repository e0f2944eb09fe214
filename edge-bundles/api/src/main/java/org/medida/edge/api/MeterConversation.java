package org.medida.edge.api;

/** What a caller does with a meter during one association: a few reads and actions, then the result. */
@FunctionalInterface
public interface MeterConversation<T> {
    T run(MeterSession session) throws MeterAccessException;
}

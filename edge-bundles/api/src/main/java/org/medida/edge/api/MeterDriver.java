package org.medida.edge.api;

import java.util.concurrent.CompletionStage;

/**
 * Holds the conversations with meters. Each {@link MeterLink#channel() channel} carries one conversation at a time,
 * {@link Priority#HIGH} work first; channels are served in parallel. The returned stage always completes normally:
 * connection errors, time-outs (after bounded retries), refusals and malformed answers arrive as
 * {@link DriverResult.Failed}, never as an exception.
 */
public interface MeterDriver {

    <T> CompletionStage<DriverResult<T>> submit(MeterRef meter, Priority priority, MeterConversation<T> conversation);
}

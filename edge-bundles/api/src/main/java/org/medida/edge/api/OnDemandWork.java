package org.medida.edge.api;

import java.util.concurrent.CompletionStage;

/**
 * Runs {@link MeterTask}s on the gateway's meters, at the task's priority. Implemented by the collector, used by the
 * uplink (central's command requests) and the shell. Everything a task reads is also appended to the
 * {@link ReadingStore}, so it reaches central through the normal flow as well. The returned stage always completes
 * normally: an unknown meter, an expired task or a meter failure arrive as {@link TaskStatus#FAIL} outcomes.
 */
public interface OnDemandWork {
    CompletionStage<TaskOutcome> submit(MeterTask task);
}

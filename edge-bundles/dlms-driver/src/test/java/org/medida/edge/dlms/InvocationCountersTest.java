package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invocation counters are never handed out twice, whatever happens to the gateway in between. */
class InvocationCountersTest {

    @TempDir
    Path state;

    @Test
    void aClosedConversationGivesBackWhatItDidNotUse() throws Exception {
        InvocationCounters counters = new InvocationCounters(state);
        try (InvocationCounters.Reservation reservation = counters.reserve("M1")) {
            assertEquals(1, reservation.first());
            reservation.messageSent();
            reservation.messageSent();
        }
        assertEquals(3, new InvocationCounters(state).next("M1"));
    }

    @Test
    void aCrashDuringAConversationSkipsTheWholeReservation() throws Exception {
        InvocationCounters.Reservation crashed = new InvocationCounters(state).reserve("M1");
        crashed.messageSent();
        // the gateway dies here: the reservation is never closed; a restarted driver reads the file afresh
        try (InvocationCounters.Reservation next = new InvocationCounters(state).reserve("M1")) {
            assertEquals(1 + InvocationCounters.BLOCK, next.first());
        }
    }

    @Test
    void aLongConversationExtendsItsReservationBeforeRunningOut() throws Exception {
        InvocationCounters counters = new InvocationCounters(state);
        InvocationCounters.Reservation longOne = counters.reserve("M1");
        for (int i = 0; i < InvocationCounters.BLOCK + 10; i++) {
            longOne.messageSent();
            assertTrue(new InvocationCounters(state).next("M1") > 1 + i + 1,
                    "the file stays ahead of every counter used, after " + (i + 1) + " messages");
        }
    }

    @Test
    void oneMeterIsTalkedToWithOneReservationAtATime() throws Exception {
        InvocationCounters counters = new InvocationCounters(state);
        InvocationCounters.Reservation first = counters.reserve("M1");
        CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> {
            try (InvocationCounters.Reservation reservation = counters.reserve("M1")) {
                return reservation.first();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertTrue(!second.isDone(), "the second reservation waits for the first");
        first.messageSent();
        first.close();
        assertEquals(2, second.get(5, TimeUnit.SECONDS));
        try (InvocationCounters.Reservation other = counters.reserve("M2")) {
            assertEquals(1, other.first());
        }
    }
}

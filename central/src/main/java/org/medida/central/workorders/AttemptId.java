package org.medida.central.workorders;

/**
 * The correlation id an attempt of an order goes out under: the order's own for the first, {@code <id>/<n>} for
 * attempt n after it. Each retry is then a new request to the gateway (whose replay protection refuses a request
 * id it has seen) and its outcome a new command result, while the order keeps one correlation id (W5).
 */
record AttemptId(String correlationId, int attempt) {

    static String of(String correlationId, int attempt) {
        return attempt <= 1 ? correlationId : correlationId + "/" + attempt;
    }

    static AttemptId parse(String wireId) {
        int slash = wireId.lastIndexOf('/');
        if (slash > 0 && slash < wireId.length() - 1 && wireId.substring(slash + 1).matches("\\d{1,3}")) {
            return new AttemptId(wireId.substring(0, slash), Integer.parseInt(wireId.substring(slash + 1)));
        }
        return new AttemptId(wireId, 1);
    }
}

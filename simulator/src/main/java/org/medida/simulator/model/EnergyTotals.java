package org.medida.simulator.model;

import java.util.Arrays;

/**
 * Cumulative register values: A+ total and per tariff 1..6 (Wh), A- (Wh), R+ and R- (varh). Tariff 1 is the night
 * (22:00-07:00 UTC), tariff 2 weekday daytime, tariff 3 weekend daytime; tariffs 4-6 exist but stay at zero.
 */
public record EnergyTotals(long importWh, long[] tariffImportWh, long exportWh, long reactiveImportVarh,
        long reactiveExportVarh) {

    public static final int TARIFFS = 6;

    public EnergyTotals {
        if (tariffImportWh.length != TARIFFS) {
            throw new IllegalArgumentException("expected " + TARIFFS + " tariff registers");
        }
        tariffImportWh = tariffImportWh.clone();
    }

    /** A+ register of tariff {@code t} (1-based). */
    public long tariffWh(int t) {
        return tariffImportWh[t - 1];
    }

    @Override
    public long[] tariffImportWh() {
        return tariffImportWh.clone();
    }

    EnergyTotals plus(long importWh, int tariff, long exportWh) {
        long[] tariffs = tariffImportWh.clone();
        tariffs[tariff - 1] += importWh;
        // cos phi about 0.955 inductive on import, a little capacitive from the inverter on export
        return new EnergyTotals(this.importWh + importWh, tariffs, this.exportWh + exportWh,
                reactiveImportVarh + importWh * 31 / 100, reactiveExportVarh + exportWh * 8 / 100);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnergyTotals e && importWh == e.importWh && exportWh == e.exportWh
                && reactiveImportVarh == e.reactiveImportVarh && reactiveExportVarh == e.reactiveExportVarh
                && Arrays.equals(tariffImportWh, e.tariffImportWh);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(importWh) * 31 + Long.hashCode(exportWh);
    }

    @Override
    public String toString() {
        return "EnergyTotals[A+=" + importWh + " Wh " + Arrays.toString(tariffImportWh) + ", A-=" + exportWh
                + " Wh, R+=" + reactiveImportVarh + " varh, R-=" + reactiveExportVarh + " varh]";
    }
}

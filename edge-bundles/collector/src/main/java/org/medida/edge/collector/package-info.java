/** Scheduled and on-demand collection from the gateway's meters into the reading store. */
package org.medida.edge.collector;

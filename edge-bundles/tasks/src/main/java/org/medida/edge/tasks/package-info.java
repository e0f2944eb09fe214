/**
 * How a {@link org.medida.edge.api.MeterTask} is carried out on a meter, one conversation through a
 * {@link org.medida.edge.api.MeterDriver} ({@link org.medida.edge.tasks.TaskRunner}), and how a meter clock's
 * deviation is corrected ({@link org.medida.edge.tasks.ClockPolicy}). The gateway's collector and central's
 * point-to-point reads share them, so a task does the same on a meter whoever runs it.
 */
@Export
@Version("1.0.0")
package org.medida.edge.tasks;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

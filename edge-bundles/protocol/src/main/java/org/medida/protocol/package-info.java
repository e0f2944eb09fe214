/**
 * What gateways and central say to each other over MQTT (see {@code docs/protocol.md}): the versioned topic scheme
 * ({@link org.medida.protocol.Topics}) and the compact binary payloads ({@link org.medida.protocol.Payloads}) for
 * data batches, central's acknowledgements, gateway status, command requests and their outcomes, inventory changes and their results. Every payload is
 * validated whole on decoding; a malformed one is a {@link org.medida.protocol.MalformedPayloadException}.
 */
@Export
@Version("1.1.0")
package org.medida.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

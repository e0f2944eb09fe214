package org.medida.edge.store;

import java.time.Duration;
import java.util.List;

import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.ProfileChannel;

/** What a profile's entries mean: the profile object, its capture period and its columns. Stored once, by id. */
record ProfileLayout(String obis, Duration capturePeriod, List<ProfileChannel> channels) {

    ProfileLayout {
        channels = List.copyOf(channels);
    }

    static ProfileLayout of(IntervalBlock block) {
        return new ProfileLayout(block.profileObis(), block.capturePeriod(), block.channels());
    }
}

package app.littlebit.worker.demo;

import app.littlebit.worker.audio.PcmFormat;

/**
 * Where a take is recorded: the phone's format and the room's background.
 *
 * @param format     sample rate and channels
 * @param floorDbfs  RMS of the whole background (noise, rumble and hum together)
 * @param humShare   fraction of the background's power that is mains hum (0 for none)
 * @param humHertz   mains frequency, 50 or 60
 * @param dcOffset   constant added to every sample, as a cheap phone's converter does
 * @param noise      the colour of the room's noise
 */
public record Room(
        PcmFormat format, double floorDbfs, double humShare, int humHertz, double dcOffset, NoiseColor noise) {
    /** A room whose noise is hiss with some low rumble, the lab's first kind of room. */
    public Room(PcmFormat format, double floorDbfs, double humShare, int humHertz, double dcOffset) {
        this(format, floorDbfs, humShare, humHertz, dcOffset, NoiseColor.HISS_AND_RUMBLE);
    }

    public double floorRms() {
        return Math.pow(10, floorDbfs / 20);
    }

    /**
     * The spectrum of a room's noise. Real rooms are rarely white: ventilation, traffic and the
     * building itself put most of their energy low, where a 5 ms window holds less than a cycle
     * and the short-term level swings by 10 dB and more.
     */
    public enum NoiseColor {
        /** White hiss mixed with rumble low-passed at 150 Hz. */
        HISS_AND_RUMBLE,
        /** Equal energy per octave (-3 dB per octave), drifting slowly in level. */
        PINK,
        /** -6 dB per octave down to a phone's 20 Hz low cut, drifting slowly in level. */
        BROWN
    }
}

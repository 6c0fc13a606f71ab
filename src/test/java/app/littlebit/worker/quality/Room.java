package app.littlebit.worker.quality;

import app.littlebit.worker.audio.PcmFormat;

/**
 * Where a take is recorded: the phone's format and the room's background.
 *
 * @param format     sample rate and channels
 * @param floorDbfs  RMS of the whole background (hiss, rumble and hum together)
 * @param humShare   fraction of the background's power that is mains hum (0 for none)
 * @param humHertz   mains frequency, 50 or 60
 * @param dcOffset   constant added to every sample, as a cheap phone's converter does
 */
public record Room(PcmFormat format, double floorDbfs, double humShare, int humHertz, double dcOffset) {
    public double floorRms() {
        return Math.pow(10, floorDbfs / 20);
    }
}

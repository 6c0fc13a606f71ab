package app.littlebit.worker.audio;

import java.util.List;

/** The pitch of a one-shot: a note a keyboard can be mapped to, or none (drums, noise, speech). */
public sealed interface Pitch permits Pitch.Pitched, Pitch.Unpitched {
    /**
     * A steady fundamental through the sustain.
     *
     * @param hertz      fundamental frequency
     * @param midiNote   nearest MIDI note (69 = A4 = 440 Hz)
     * @param cents      how far the fundamental is from that note, -50 … +50
     * @param confidence 0 … 1: the share of the sustain's energy in frames that agree on this pitch,
     *                   times how periodic those frames are
     */
    record Pitched(double hertz, int midiNote, double cents, double confidence) implements Pitch {
        private static final List<String> NAMES =
                List.of("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B");

        /** The pitch for a frequency, with its nearest note and the distance to it. */
        public static Pitched of(double hertz, double confidence) {
            double midi = 69 + 12 * Math.log(hertz / 440) / Math.log(2);
            int note = (int) Math.round(midi);
            return new Pitched(hertz, note, 100 * (midi - note), confidence);
        }

        /** Scientific pitch notation: C4 is middle C, MIDI 60. */
        public String noteName() {
            return NAMES.get(Math.floorMod(midiNote, 12)) + (Math.floorDiv(midiNote, 12) - 1);
        }
    }

    /** No pitch a musician could tune to: no steady fundamental, or too little of the sound has one. */
    record Unpitched() implements Pitch {}
}

#!/usr/bin/env bash
# Installs the programs some tests drive, when they are missing; it does nothing on a machine that
# has them. Debian/Ubuntu package names.
#  - a headless Chromium (Debian: chromium), which loads report.html (ReportTest); Google Chrome,
#    as on GitHub's Ubuntu runners, serves as well;
#  - FluidSynth and a small General MIDI SoundFont (timgm6mb-soundfont, 6 MB), which render the
#    notes of known pitch the pitch estimator is checked on (RenderedNotesPitchTest).
# Without them those tests are skipped with a message saying what to install.
set -euo pipefail

has() {
  command -v "$1" >/dev/null 2>&1
}

missing=()
if ! has chromium && ! has chromium-browser && ! has google-chrome && ! has google-chrome-stable; then
  missing+=(chromium)
fi
if ! has fluidsynth; then
  missing+=(fluidsynth)
fi
if [[ ! -f /usr/share/sounds/sf2/TimGM6mb.sf2 && ! -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ]]; then
  missing+=(timgm6mb-soundfont)
fi
bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "${missing[@]}"

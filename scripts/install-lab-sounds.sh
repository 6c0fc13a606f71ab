#!/usr/bin/env bash
# Installs the Debian packages the quality lab takes its test sounds and its peer from, when they
# are missing; it does nothing on a machine that has them. The validation half of the lab (and the
# unit test that holds its floors) needs:
#   lmms-common         LMMS's drum, percussion and instrument one-shots (Ogg files)
#   timgm6mb-soundfont  a General MIDI soundfont, rendered note by note...
#   fluidsynth          ...by fluidsynth
#   espeak-ng           spoken syllables and faint background speech
#   aubio-tools         aubiocut, the onset slicer the worker is compared with
# The tuning half also reads hydrogen-drumkits, fluid-soundfont-gm, tuxpaint-data (large: 220,
# 140 and, with the stamps it depends on, 235 MB), csound-soundfont (4 MB), sonic-pi-samples
# (23 MB), musescore-general-soundfont-small (40 MB) and wesnoth-1.16-data (146 MB: Wesnoth's
# effects and its units' recorded voices); pass --tuning to install them too
# (docs/quality.sh does). The unseen recordings (docs/quality.sh --half unseen) read
# hedgewars-data (160 MB), pingus-data and frozen-bubble-data (23 and 24 MB): pass --unseen.
set -euo pipefail

commands=(fluidsynth espeak-ng aubiocut)
files=(/usr/share/lmms/samples/drums /usr/share/sounds/sf2/TimGM6mb.sf2)
packages=(lmms-common timgm6mb-soundfont fluidsynth espeak-ng aubio-tools)
for option in "$@"; do
  case $option in
    --tuning)
      files+=(/usr/share/hydrogen/data/drumkits /usr/share/sounds/sf2/FluidR3_GM.sf2 /usr/share/tuxpaint/sounds
        /usr/share/sounds/sf2/sf_GMbank.sf2 /usr/share/sonic-pi/samples /usr/share/sounds/sf3/MuseScore_General_Lite.sf3
        /usr/share/games/wesnoth/1.16/data/core/sounds)
      packages+=(hydrogen-drumkits fluid-soundfont-gm tuxpaint-data csound-soundfont sonic-pi-samples
        musescore-general-soundfont-small wesnoth-1.16-data) ;;
    --unseen)
      files+=(/usr/share/games/hedgewars/Data/Sounds /usr/share/games/pingus/data/sounds /usr/share/games/frozen-bubble/snd)
      packages+=(hedgewars-data pingus-data frozen-bubble-data) ;;
    *) echo "usage: $0 [--tuning] [--unseen]" >&2; exit 2 ;;
  esac
done

missing=()
for command in "${commands[@]}"; do
  command -v "$command" >/dev/null || missing=("${packages[@]}")
done
for file in "${files[@]}"; do
  [[ -e $file ]] || missing=("${packages[@]}")
done
bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "${missing[@]}"

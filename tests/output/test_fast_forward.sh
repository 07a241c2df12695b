#!/usr/bin/env bash
# Every shipped scene through the wall's frame loop without a display (SDL's
# dummy driver): 60 frames with the clock running and the data changing every
# 10 frames, so panel caches, tweens, scrolling and redraws all run — under
# AddressSanitizer in CI's second pass. Then the picture the partial redraws
# built up must equal the scene drawn from scratch, pixel for pixel (this
# caught a tween whose last frame was never drawn: a KPI stuck at 1,504.3
# when the data said 1,504.2, and an axis to 10 instead of 8).
set -u
LW=${1:?usage: test_fast_forward.sh lotuswall}
pass=0 fail=0
for f in scenes/*.json; do
    s=$(basename "$f" .json)
    out=$(SDL_VIDEODRIVER=dummy "$LW" run --windowed 640x360 --fast-forward 60 "$s" 2>&1)
    if [[ $? -eq 0 && "$out" == *"fast-forward $s at 640x360: 60 frames"* &&
          "$out" == *"check: 0 of 230400 pixels differ from a full redraw"* ]]; then
        pass=$((pass + 1))
    else
        echo "FAIL $s"; echo "$out" | tail -5; fail=$((fail + 1))
    fi
done
# two scenes: the second fades in at frame 600 (no copies of either picture:
# the page holds the new one), then the picture must again equal a fresh one
out=$(SDL_VIDEODRIVER=dummy "$LW" run --windowed 640x360 --fast-forward 700 situation gdp 2>&1)
if [[ "$out" == *"fast-forward gdp at 640x360: 700 frames"* &&
      "$out" == *"check: 0 of 230400 pixels differ from a full redraw"* ]]; then
    pass=$((pass + 1))
else
    echo "FAIL a fade"; echo "$out" | tail -5; fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]

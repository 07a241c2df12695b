#!/usr/bin/env bash
# The files lotuswall reads and writes, as an attacker and an unlucky
# operator meet them (issue 10): report rows naming other files, symlinks
# planted where temporary files used to go, a cache planted in /tmp, scene
# names that climb out of the output folder, and files without end.
set -u
LW=${1:?usage: test_files.sh path/to/lotuswall}
. "$(dirname "$0")/lib.sh"

# reading has limits: no device, no endless file
expect "check /dev/zero" 1 "/dev/zero: not a regular file" -- bash -c "ulimit -v 4000000; timeout 30 '$LW' check /dev/zero"
head -c $((5 << 20)) /dev/zero | tr '\0' ' ' > "$tmp/huge.json"
expect "check huge" 1 "$tmp/huge.json: 5.0 MiB is more than the limit of 4 MiB for this kind of file" -- "$LW" check "$tmp/huge.json"


echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]

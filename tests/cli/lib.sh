# Shared by the shell tests of the CLI: a temporary folder, counters, and
# `expect NAME WANT_RC WANT_OUTPUT_SUBSTRING -- command...`.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

expect() {
    local name=$1 want_rc=$2 want=$3
    shift 4
    "$@" >"$tmp/stdout" 2>"$tmp/err"
    local rc=$?
    if [[ $rc -ne $want_rc ]] || { [[ -n "$want" ]] && ! grep -qF -- "$want" "$tmp/err" "$tmp/stdout"; }; then
        echo "FAIL $name: rc=$rc (want $want_rc)"; echo "  want: $want"
        sed 's/^/  got:  /' "$tmp/err" "$tmp/stdout" | head -5
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
}

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

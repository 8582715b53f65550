#!/usr/bin/env bash
# build.sh OUTDIR [STRATA-NETBOOT-ARGS...] — build the netboot example's
# folder: kernel, initrd and netboot.ipxe, ready to serve over TFTP or HTTP.
#
# Prepares the boot inputs from Debian packages with scripts/boot-inputs
# into a cache folder, once, then runs `strata netboot` on host.hcl with
# --arg bootInputs=<that folder>. Further arguments go to `strata netboot`.
#
# Environment
#   STRATA_BOOT_INPUTS   the cache folder (default: .cache/boot-inputs in
#                        the repository)
set -euo pipefail
if [ $# -lt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
	sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'
	[ $# -ge 1 ] && exit 0 || exit 2
fi
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
case $out in /*) ;; *) out=$PWD/$out ;; esac
inputs=${STRATA_BOOT_INPUTS:-$repo/.cache/boot-inputs}
case $inputs in /*) ;; *) inputs=$PWD/$inputs ;; esac

if [ ! -s "$inputs/vmlinuz" ] || [ ! -s "$inputs/initrd.img" ]; then
	echo "build.sh: preparing the boot inputs in $inputs" >&2
	"$repo/scripts/boot-inputs" "$inputs" >&2
fi
mkdir -p "$(dirname "$out")"
cd "$repo"
exec go run ./cmd/strata netboot -o "$out" --arg "bootInputs=$inputs" "$@" examples/netboot/host.hcl

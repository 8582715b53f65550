#!/usr/bin/env bash
# build.sh OUT.iso [STRATA-ISO-ARGS...] — build the live-iso example's
# bootable image.
#
# Prepares the boot inputs (kernel, initrd, isolinux, GRUB EFI loader) from
# Debian packages with scripts/boot-inputs into a cache folder, once, then
# runs `strata iso` on host.hcl with --arg bootInputs=<that folder>. Further
# arguments go to `strata iso` (more modules, --arg ...).
#
# Environment
#   STRATA_BOOT_INPUTS   the cache folder (default: .cache/boot-inputs in
#                        the repository); delete it to prepare them again
#   SOURCE_DATE_EPOCH    file dates in the image (default 1980-01-01)
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

ready=1
for f in vmlinuz initrd.img isolinux.bin ldlinux.c32 isohdpfx.bin BOOTX64.EFI; do
	[ -s "$inputs/$f" ] || ready=0
done
if [ $ready = 0 ]; then
	echo "build.sh: preparing the boot inputs in $inputs" >&2
	"$repo/scripts/boot-inputs" "$inputs" >&2
fi
mkdir -p "$(dirname "$out")"
cd "$repo"
exec go run ./cmd/strata iso -o "$out" --arg "bootInputs=$inputs" "$@" examples/live-iso/host.hcl

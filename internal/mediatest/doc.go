// Package mediatest boots the media that the examples build, under QEMU,
// with the checkers of ../shared/tools: the live-iso example's image must
// pass isocheck and boot in the bios, uefi, usb-bios and usb-uefi modes of
// bootcheck with the configured kernel parameters and the embedded
// configuration intact, the netboot example's folder must boot over iPXE
// and its minimal ISO from a CD and a USB stick, and a changed host
// configuration must change what boots.
//
// The tests need ../shared (next to the repository), QEMU, OVMF and iPXE's
// ROMs, and the boot inputs that scripts/boot-inputs prepares (it downloads
// Debian packages once, into .cache/boot-inputs, or STRATA_BOOT_INPUTS).
// Where any of that is missing they skip, saying so, unless the environment
// variable CI is set: CI installs everything, so there they fail instead.
// Each boot takes 15 to 60 seconds under software emulation (up to about two
// minutes on a loaded machine); the tests and boots run as many at a time as
// go test's -parallel allows (GOMAXPROCS, two on a two-core machine).
package mediatest

// Package boottest holds no code, only a test: it builds bootable images
// with the iso package's Go API from the inputs of ../shared/tools/make-boot-fixture
// (isolinux for BIOS; for UEFI both the fixture's efiboot.img and one made
// by the iso/fat builder; isohdpfx.bin for the hybrid MBR) and checks each
// with ../shared/tools/isocheck and with ../shared/tools/bootcheck in the
// bios, uefi, usb-bios and usb-uefi modes, under QEMU.
//
// The booted kernel is told, with strata.check= on its command line, to read
// files back from the medium with its own iso9660 driver; the test compares
// their sha256 with the bytes it put into the image.
//
// The test skips, saying so, where ../shared or QEMU is missing, and never
// skips when the environment variable CI is set (it then passes --install to
// the shared tools). The fixture is built once per test process. Booting
// takes about 15 to 25 seconds per mode under QEMU's software emulation;
// the boots run two at a time (go test's default -parallel on two cores).
package boottest

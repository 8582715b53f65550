// Package boottest holds no code, only tests that boot the images strata
// writes, under QEMU, with the shared tools next to the repository:
//
//   - TestBoot builds live images with the iso package's Go API from the
//     inputs of ../shared/tools/make-boot-fixture (isolinux for BIOS;
//     for UEFI once the fixture's efiboot.img and once an ESP made by
//     iso/fat; isohdpfx.bin for the hybrid MBR);
//   - TestMkiso builds the same layout with `strata mkiso` from a folder;
//   - TestBootInputs builds it from what the project's own
//     scripts/boot-inputs prepares (it needs root: apt-get, mknod);
//   - TestReproducible writes one image twice and compares the bytes.
//
// Each image must pass ../shared/tools/isocheck (Rock Ridge, Joliet, El
// Torito, hybrid, and the tree as staged) and ../shared/tools/bootcheck in
// the bios, uefi, usb-bios and usb-uefi modes (TestBoot's image with the
// FAT-built ESP in the two UEFI modes only: the BIOS modes do not read the
// ESP, and TestMkiso boots such an image in all four). The booted kernel is told,
// with strata.check= on its command line, to read files back from the
// medium with its own iso9660 driver; the test compares their sha256 with
// the bytes it put into the image, and checks the medium was the CD-ROM or
// the USB disk as the mode says.
//
// The tests skip, saying so, where ../shared or QEMU is missing, and never
// skip when the environment variable CI is set: the shared tools then
// install what they need (once, before the parallel checks). The fixture is
// built once per test process. A boot takes about 12 (BIOS) to 23 (UEFI)
// seconds under QEMU's software emulation on an idle machine; the checks
// of one image run two at a time (go test's default -parallel on two
// cores).
package boottest

// Package examples holds no code of its own: each folder below it is a
// runnable example of strata, and examples_test.go builds and runs every
// one of them so that none can rot.
//
//   - live-iso: host.hcl on the installer base; build.sh OUT.iso prepares
//     the boot inputs from Debian packages and builds the bootable image.
//   - netboot: host.hcl on the netboot base; build.sh DIR writes the
//     kernel, initrd and iPXE script.
//   - pipeline: a Go program that evaluates, adjusts the result in Go, and
//     streams the image into a file and a sha256 at once.
//   - config-tests: unit tests against a merged configuration, with go-cmp.
//
// Booting the images under QEMU is internal/mediatest's job.
package examples

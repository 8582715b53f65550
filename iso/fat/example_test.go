package fat_test

import (
	"crypto/sha256"
	"fmt"
	"log"
	"testing/fstest"
	"time"

	"github.com/strata-build/strata/iso/fat"
)

// An EFI System Partition image for an El Torito UEFI boot entry: the
// loader at the removable-media path and a small GRUB configuration. The
// size is known from the plan; the image then streams into any writer,
// here a hash, and the same inputs always give the same bytes.
func ExampleConfig_PlanFS() {
	esp := fstest.MapFS{
		"EFI/BOOT/BOOTX64.EFI": {Data: make([]byte, 1200<<10)},
		"EFI/BOOT/grub.cfg":    {Data: []byte("search --set=root --file /boot/grub/strata.tag\n")},
	}
	cfg := fat.Config{Label: "STRATA_EFI", Serial: 0x5354524a, ModTime: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	im, err := cfg.PlanFS(esp)
	if err != nil {
		log.Fatal(err)
	}
	total, used := im.Clusters()
	fmt.Printf("FAT%d, %d bytes, %d of %d clusters of %d bytes used\n", im.FATBits(), im.Size(), used, total, im.ClusterSize())

	h := sha256.New()
	n, err := im.WriteTo(h)
	if err != nil {
		log.Fatal(err)
	}
	first := h.Sum(nil)
	h.Reset()
	if _, err := im.WriteTo(h); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %d bytes; same bytes again: %t\n", n, string(first) == string(h.Sum(nil)))
	// Output:
	// FAT12, 1277952 bytes, 2403 of 2447 clusters of 512 bytes used
	// wrote 1277952 bytes; same bytes again: true
}

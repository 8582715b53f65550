package iso_test

import (
	"crypto/sha256"
	"fmt"
	"log"
	"testing/fstest"
	"time"

	"github.com/strata-build/strata/iso"
)

// A small tree from an fs.FS becomes an image with Rock Ridge and Joliet.
// The size is known before a byte is written; the image then streams into
// any writer, here a hash, and a fixed ModTime makes the bytes the same
// every time.
func ExampleWriter() {
	tree := fstest.MapFS{
		"boot/grub/grub.cfg": {Data: []byte("linux /boot/vmlinuz\n"), Mode: 0o644},
		"README":             {Data: []byte("hello\n"), Mode: 0o644},
		"latest":             {Data: []byte("boot/grub/grub.cfg"), Mode: 0o777 | 1<<27}, // fs.ModeSymlink
	}
	build := func() (int64, [32]byte) {
		w := iso.NewWriter(&iso.Options{VolumeID: "EXAMPLE", ModTime: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err := w.AddFS(tree); err != nil {
			log.Fatal(err)
		}
		size, err := w.Size()
		if err != nil {
			log.Fatal(err)
		}
		h := sha256.New()
		if _, err := w.WriteTo(h); err != nil {
			log.Fatal(err)
		}
		var sum [32]byte
		copy(sum[:], h.Sum(nil))
		return size, sum
	}
	size, first := build()
	_, second := build()
	fmt.Printf("%d bytes (%d sectors); same bytes again: %t\n", size, size/2048, first == second)
	// Output:
	// 65536 bytes (32 sectors); same bytes again: true
}

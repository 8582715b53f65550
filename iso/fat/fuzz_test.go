package fat_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"testing"

	"github.com/strata-build/strata/iso/fat"
)

// FuzzPlan plans and writes images from arbitrary trees: a newline-separated
// list of paths (a final "/" makes a directory) with sizes taken from the
// seed. It must never panic or hang; every image it accepts must be exactly
// Size() bytes, with a boot sector that states that size and the planned FAT
// type, and the same input must give the same bytes.
func FuzzPlan(f *testing.F) {
	f.Add("EFI/BOOT/BOOTX64.EFI\nEFI/BOOT/grub.cfg\nboot/", uint32(5000), "STRATA_EFI", int64(0))
	f.Add("a\nA/b\nlong file name number one.txt\nlong file name number two.txt", uint32(1), "", int64(0))
	f.Add("Ünïcödé-名前.cfg\n.hidden\nx.y.z\n"+strings.Repeat("n", 255), uint32(513), "lbl", int64(64*512))
	f.Add("f", uint32(1<<20), "", int64(4150*512))
	f.Fuzz(func(t *testing.T, list string, sizeSeed uint32, label string, size int64) {
		if len(list) > 4096 {
			return
		}
		var entries []fat.Entry
		for i, p := range strings.Split(list, "\n") {
			if strings.HasSuffix(p, "/") {
				entries = append(entries, fat.Entry{Path: strings.TrimSuffix(p, "/"), Dir: true})
				continue
			}
			n := int64((sizeSeed >> (i % 16)) % (2 << 20))
			entries = append(entries, fat.Entry{Path: p, Size: n, Open: func() (io.ReadCloser, error) {
				return io.NopCloser(io.LimitReader(zeroReader{}, n)), nil
			}})
		}
		cfg := fat.Config{Label: label, Size: size % (64 << 20)}
		im, err := cfg.Plan(entries)
		if err != nil {
			if im != nil {
				t.Fatal("Plan returned an image with an error")
			}
			return
		}
		var a, b bytes.Buffer
		n, err := im.WriteTo(&a)
		if err != nil {
			t.Fatalf("WriteTo: %v", err)
		}
		if n != im.Size() || int64(a.Len()) != n {
			t.Fatalf("WriteTo wrote %d bytes (returned %d), Size() is %d", a.Len(), n, im.Size())
		}
		boot := a.Bytes()[:512]
		tot := int64(binary.LittleEndian.Uint16(boot[19:]))
		if tot == 0 {
			tot = int64(binary.LittleEndian.Uint32(boot[32:]))
		}
		if tot*512 != im.Size() || boot[510] != 0x55 || boot[511] != 0xAA {
			t.Fatalf("boot sector says %d sectors, Size() is %d", tot, im.Size())
		}
		if want := []byte("FAT" + map[int]string{12: "12", 16: "16"}[im.FATBits()]); !bytes.Equal(boot[54:59], want) {
			t.Fatalf("boot sector type %q, FATBits() %d", boot[54:62], im.FATBits())
		}
		if _, err := im.WriteTo(&b); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("second WriteTo differs (err %v)", err)
		}
	})
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

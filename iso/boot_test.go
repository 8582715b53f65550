package iso_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/strata-build/strata/iso"
	"github.com/strata-build/strata/iso/fat"
)

// bootTree returns a tree with a BIOS boot image (a stand-in: boot tests in
// QEMU use real isolinux) and a FAT image made by iso/fat for UEFI.
func bootTree(t *testing.T, dir string) (bios []byte) {
	t.Helper()
	bios = pattern(7, 24*1024+12) // not a multiple of 4: the checksum pads
	writeFile(t, filepath.Join(dir, "isolinux/isolinux.bin"), bios)
	writeFile(t, filepath.Join(dir, "isolinux/isolinux.cfg"), []byte("DEFAULT linux\n"))
	writeFile(t, filepath.Join(dir, "boot/vmlinuz"), pattern(8, 300_000))
	esp := fstest.MapFS{"EFI/BOOT/BOOTX64.EFI": {Data: pattern(9, 70_000)}}
	cfg := fat.Config{Label: "EFIBOOT", ModTime: fixedTime}
	im, err := cfg.PlanFS(esp)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := im.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "boot/efiboot.img"), b.Bytes())
	return bios
}

// mbrTemplate stands in for isohdpfx.bin: 432 bytes of "boot code".
var mbrTemplate = pattern(99, 432)

// TestBoot writes El Torito images (BIOS, UEFI, both, hybrid) and checks
// them with isocheck, and checks the boot information table and the MBR
// patch by hand.
func TestBoot(t *testing.T) {
	tests := []struct {
		name   string
		boot   iso.Boot
		expect []string
	}{
		{name: "bios", boot: iso.Boot{BIOS: "isolinux/isolinux.bin"}, expect: []string{"--expect-eltorito"}},
		{name: "efi", boot: iso.Boot{EFI: "boot/efiboot.img"}, expect: []string{"--expect-eltorito"}},
		{name: "both", boot: iso.Boot{BIOS: "isolinux/isolinux.bin", EFI: "boot/efiboot.img", Catalog: "isolinux/boot.cat"}, expect: []string{"--expect-eltorito"}},
		{name: "hybrid", boot: iso.Boot{BIOS: "isolinux/isolinux.bin", EFI: "boot/efiboot.img", HybridMBR: mbrTemplate}, expect: []string{"--expect-eltorito", "--expect-hybrid"}},
		{name: "hybrid-bios-only", boot: iso.Boot{BIOS: "isolinux/isolinux.bin", HybridMBR: mbrTemplate}, expect: []string{"--expect-eltorito", "--expect-hybrid"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := t.TempDir()
			bios := bootTree(t, src)
			boot := tc.boot
			img := buildImage(t, src, &iso.Options{VolumeID: "STRATA_LIVE", ModTime: fixedTime, Boot: &boot})
			data := fileBytes(t, img)
			if size := int64(len(data)); size%2048 != 0 || (boot.HybridMBR != nil && size%(1<<20) != 0) {
				t.Errorf("image size %d: want whole sectors, and whole MiB for a hybrid image", size)
			}
			if boot.BIOS != "" {
				checkBootInfo(t, data, bios)
			}
			if boot.HybridMBR != nil {
				if !bytes.Equal(data[:432], mbrTemplate) || data[510] != 0x55 || data[511] != 0xAA {
					t.Errorf("MBR: want the template's 432 bytes and the 55 AA signature")
				}
				lba := binary.LittleEndian.Uint32(data[432:])
				if lba%4 != 0 || !bytes.Equal(data[lba*512+64:lba*512+2048], bios[64:2048]) {
					t.Errorf("MBR: 512-byte sector %d at offset 432 is not the BIOS image", lba)
				}
			}
			isocheck(t, img, append(tc.expect, "--expect-rr", "--expect-joliet", "--compare-dir", src)...)
		})
	}
}

// checkBootInfo finds the BIOS image through the boot catalog and checks
// its boot information table (El Torito; mkisofs -boot-info-table).
func checkBootInfo(t *testing.T, img, bios []byte) {
	t.Helper()
	le := binary.LittleEndian
	brvd := img[17*2048:]
	if string(brvd[7:30]) != "EL TORITO SPECIFICATION" {
		t.Fatalf("sector 17 is not an El Torito boot record")
	}
	cat := img[le.Uint32(brvd[0x47:])*2048:]
	if cat[0] != 1 || cat[30] != 0x55 || cat[31] != 0xAA || cat[32] != 0x88 {
		t.Fatalf("boot catalog: bad validation or initial entry")
	}
	if n := le.Uint16(cat[38:]); n != 4 {
		t.Errorf("boot catalog: load size %d, want 4", n)
	}
	lba := le.Uint32(cat[40:])
	got := img[int(lba)*2048 : int(lba)*2048+len(bios)]
	var sum uint32
	padded := append(append([]byte(nil), bios...), 0, 0, 0)
	for i := 64; i < len(bios); i += 4 {
		sum += le.Uint32(padded[i:])
	}
	want := []uint32{16, lba, uint32(len(bios)), sum}
	for i, w := range want {
		if g := le.Uint32(got[8+4*i:]); g != w {
			t.Errorf("boot info table word %d = %d, want %d", i, g, w)
		}
	}
	if !bytes.Equal(got[:8], bios[:8]) || !bytes.Equal(got[64:], bios[64:]) {
		t.Errorf("BIOS image changed outside the boot info table")
	}
}

// TestBootInputErrors covers boot settings that cannot work.
func TestBootInputErrors(t *testing.T) {
	tests := []struct {
		name string
		boot iso.Boot
		want string
	}{
		{name: "missing BIOS image", boot: iso.Boot{BIOS: "isolinux/nothere.bin"}, want: `BIOS boot image "isolinux/nothere.bin": no such entry`},
		{name: "missing EFI image", boot: iso.Boot{EFI: "efi.img"}, want: `EFI boot image "efi.img": no such entry`},
		{name: "directory as image", boot: iso.Boot{BIOS: "isolinux"}, want: `BIOS boot image "isolinux" is a directory`},
		{name: "catalog over a file", boot: iso.Boot{BIOS: "isolinux/isolinux.bin", Catalog: "isolinux/isolinux.cfg"}, want: `boot catalog "isolinux/isolinux.cfg": the tree already has a file`},
		{name: "hybrid without BIOS", boot: iso.Boot{EFI: "boot/efiboot.img", HybridMBR: mbrTemplate}, want: "hybrid MBR needs a BIOS boot image"},
		{name: "short MBR template", boot: iso.Boot{BIOS: "isolinux/isolinux.bin", HybridMBR: make([]byte, 100)}, want: "hybrid MBR template is 100 bytes"},
	}
	src := t.TempDir()
	bootTree(t, src)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			boot := tc.boot
			w := iso.NewWriter(&iso.Options{Boot: &boot})
			if err := w.AddFS(os.DirFS(src)); err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(t.TempDir(), "out.iso")
			err := iso.WriteFile(context.Background(), dst, w)
			checkErr(t, err, tc.want)
			checkNoOutput(t, dst)
			if _, err := w.WriteTo(io.Discard); err == nil {
				t.Errorf("WriteTo after a failure: want the sticky error")
			}
		})
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kdomanski/iso9660"
)

// mkisoTree writes a small tree with boot files for strata mkiso.
func mkisoTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{
		"isolinux/isolinux.bin":           bytes.Repeat([]byte{0xEB, 0x3C, 0x90, 0x00}, 2048),
		"boot/efiboot.img":                make([]byte, 64<<10),
		"README":                          []byte("strata mkiso test\n"),
		"deep/a/b/c/d/e/f/g/h/i/j/k/file": []byte("deep\n"),
	}
	for p, b := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "mbr.bin"), bytes.Repeat([]byte{0xFA}, 432), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMkiso(t *testing.T) {
	src := mkisoTree(t)
	mbr := filepath.Join(src, "mbr.bin")
	tests := []struct {
		name       string
		args       []string // "OUT" is replaced by the output path, "SRC" by the tree
		sde        string
		wantCode   int
		wantStderr string
		wantImage  bool
	}{
		{name: "plain", args: []string{"-o", "OUT", "SRC"}, wantCode: exitOK, wantImage: true},
		{name: "bootable hybrid", args: []string{"-o", "OUT", "--volume-id", "STRATA_TEST", "--bios-boot", "isolinux/isolinux.bin", "--efi-boot", "/boot/efiboot.img", "--hybrid-mbr", mbr, "SRC"}, sde: "315532800", wantCode: exitOK, wantImage: true},
		{name: "help", args: []string{"--help"}, wantCode: exitOK},
		{name: "no output", args: []string{"SRC"}, wantCode: exitUsage, wantStderr: "need -o OUT.iso"},
		{name: "two trees", args: []string{"-o", "OUT", "SRC", "SRC"}, wantCode: exitUsage, wantStderr: "exactly one DIR"},
		{name: "unknown flag", args: []string{"-o", "OUT", "--nope", "SRC"}, wantCode: exitUsage, wantStderr: "flag provided but not defined: -nope"},
		{name: "missing tree", args: []string{"-o", "OUT", "/nonexistent/tree"}, wantCode: exitConfig, wantStderr: "/nonexistent/tree"},
		{name: "missing boot file", args: []string{"-o", "OUT", "--bios-boot", "isolinux/missing.bin", "SRC"}, wantCode: exitConfig, wantStderr: `BIOS boot image "isolinux/missing.bin": no such entry`},
		{name: "NixOS-style volume ID", args: []string{"-o", "OUT", "--volume-id", "nixos-26.11-x86_64", "SRC"}, wantCode: exitOK, wantImage: true},
		{name: "bad volume ID", args: []string{"-o", "OUT", "--volume-id", "lower~case", "SRC"}, wantCode: exitConfig, wantStderr: `volume ID "lower~case"`},
		{name: "strict volume ID", args: []string{"-o", "OUT", "--strict-volume-id", "--volume-id", "lower-case", "SRC"}, wantCode: exitConfig, wantStderr: `volume ID "lower-case" has "l" at byte 0`},
		{name: "missing MBR template", args: []string{"-o", "OUT", "--bios-boot", "isolinux/isolinux.bin", "--hybrid-mbr", "/nonexistent/mbr", "SRC"}, wantCode: exitConfig, wantStderr: "reading the hybrid MBR template"},
		{name: "bad SOURCE_DATE_EPOCH", args: []string{"-o", "OUT", "SRC"}, sde: "yesterday", wantCode: exitConfig, wantStderr: `SOURCE_DATE_EPOCH="yesterday"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("SOURCE_DATE_EPOCH", tc.sde)
			outDir := t.TempDir()
			out := filepath.Join(outDir, "out.iso")
			args := []string{"mkiso"}
			for _, a := range tc.args {
				args = append(args, strings.NewReplacer("OUT", out, "SRC", src).Replace(a))
			}
			var stdout, stderr bytes.Buffer
			code := run(args, &stdout, &stderr)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.wantCode, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("stderr %q does not mention %q", stderr.String(), tc.wantStderr)
			}
			if tc.name == "help" && !strings.Contains(stdout.String(), "Usage: strata mkiso") {
				t.Errorf("--help printed %q", stdout.String())
			}
			ents, _ := os.ReadDir(outDir)
			if !tc.wantImage {
				for _, e := range ents {
					t.Errorf("%s left in the output folder", e.Name())
				}
				return
			}
			if len(ents) != 1 {
				t.Fatalf("output folder has %d entries, want just out.iso", len(ents))
			}
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := iso9660.OpenImage(f)
			if err != nil {
				t.Fatalf("kdomanski/iso9660 cannot read the image: %v", err)
			}
			root, err := img.RootDir()
			if err != nil {
				t.Fatal(err)
			}
			kids, err := root.GetChildren()
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, k := range kids {
				names = append(names, k.Name())
			}
			if !strings.Contains(strings.Join(names, " "), "README") {
				t.Errorf("root of the image has %v, want README among them", names)
			}
		})
	}
}

// TestMkisoReproducible writes one tree twice with one SOURCE_DATE_EPOCH,
// touching the files in between: the images must be the same.
func TestMkisoReproducible(t *testing.T) {
	src := mkisoTree(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	build := func() []byte {
		out := filepath.Join(t.TempDir(), "out.iso")
		var stderr bytes.Buffer
		if code := run([]string{"mkiso", "-o", out, src}, &bytes.Buffer{}, &stderr); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := build()
	later := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(src, "README"), later, later); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, build()) {
		t.Errorf("same tree, same SOURCE_DATE_EPOCH, different images")
	}
}

package media_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdomanski/iso9660"

	"github.com/strata-build/strata/media"
)

// readImage returns every regular file of an image by its Rock Ridge path,
// as kdomanski/iso9660's reader sees it.
func readImage(t *testing.T, image []byte) map[string]string {
	t.Helper()
	img, err := iso9660.OpenImage(bytes.NewReader(image))
	if err != nil {
		t.Fatal(err)
	}
	root, err := img.RootDir()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	var walk func(dir *iso9660.File, prefix string)
	walk = func(dir *iso9660.File, prefix string) {
		kids, err := dir.GetChildren()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kids {
			p := prefix + "/" + k.Name()
			if k.IsDir() {
				walk(k, p)
				continue
			}
			b, err := io.ReadAll(k.Reader())
			if err != nil {
				t.Fatal(err)
			}
			files[p] = string(b)
		}
	}
	walk(root, "")
	return files
}

// TestWriteTo writes images and reads them back: every planned file is
// there with its contents (the BIOS image carries the boot information
// table, so only its size is compared), and two writes give the same bytes.
func TestWriteTo(t *testing.T) {
	tests := []struct {
		name string
		edit func(*media.Spec)
	}{
		{name: "everything", edit: func(*media.Spec) {}},
		{name: "bios", edit: func(s *media.Spec) { s.EFI, s.USB = false, false }},
		{name: "efi", edit: func(s *media.Spec) { s.BIOS, s.USB = false, false }},
		{name: "contents", edit: func(s *media.Spec) {
			s.Contents = []media.Content{{Source: "/extra/tree", Target: "/opt/tree"}}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := spec()
			tc.edit(s)
			l, diags := media.Plan(context.Background(), s)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			var a, b bytes.Buffer
			if _, err := l.WriteTo(&a); err != nil {
				t.Fatal(err)
			}
			if _, err := l.WriteTo(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("two writes of one layout differ")
			}
			got := readImage(t, a.Bytes())
			for _, f := range l.Files {
				want := read(t, l, f.Path)
				g, ok := got[f.Path]
				switch {
				case !ok:
					t.Errorf("%s is missing from the image", f.Path)
				case f.Path == media.IsolinuxBinPath:
					if len(g) != len(want) {
						t.Errorf("%s: %d bytes, want %d", f.Path, len(g), len(want))
					}
				case g != want:
					t.Errorf("%s differs from its source", f.Path)
				}
			}
			if len(got) != len(l.Files)+1 { // + the boot catalog
				t.Errorf("the image has %d files, the layout %d and a catalog", len(got), len(l.Files))
			}
		})
	}
}

// TestWriteToSizeChanged checks that an input that changed size since
// planning fails the write.
func TestWriteToSizeChanged(t *testing.T) {
	dir := t.TempDir()
	kernel := filepath.Join(dir, "vmlinuz")
	if err := os.WriteFile(kernel, []byte("kernel"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := spec()
	s.FS = nil
	s.BIOS, s.EFI, s.USB = false, true, false
	s.Kernel, s.Initrd, s.EFILoader = kernel, kernel, kernel
	l, diags := media.Plan(context.Background(), s)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if err := os.WriteFile(kernel, []byte("a longer kernel"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := l.WriteTo(io.Discard); err == nil {
		t.Errorf("WriteTo succeeded after an input grew")
	}
}

// TestXorriso has xorriso (libisofs, independent of this project) report the
// boot records of a hybrid image. It skips where xorriso is missing, except
// in CI.
func TestXorriso(t *testing.T) {
	if _, err := exec.LookPath("xorriso"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set, but xorriso is not installed")
		}
		t.Skip("skipped: xorriso is not installed")
	}
	l, diags := media.Plan(context.Background(), spec())
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	image := filepath.Join(t.TempDir(), "x.iso")
	f, err := os.Create(image)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xorriso", "-indev", image, "-report_el_torito", "plain", "-report_system_area", "plain").CombinedOutput()
	if err != nil {
		t.Fatalf("xorriso: %v\n%s", err, out)
	}
	for _, want := range []string{"El Torito boot img :   1  BIOS", "El Torito boot img :   2  UEFI",
		"/isolinux/isolinux.bin", "/boot/efiboot.img", "GPT", "Volume id    : 'STRATA_TEST'"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("xorriso's report lacks %q:\n%s", want, out)
		}
	}
	var errs []error
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "FAILURE") || strings.Contains(l, "SORRY") {
			errs = append(errs, errors.New(l))
		}
	}
	if len(errs) > 0 {
		t.Errorf("xorriso: %v", errors.Join(errs...))
	}
}

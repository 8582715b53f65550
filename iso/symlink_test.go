package iso_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/iso"
)

// TestLongSymlink writes symlinks and names too long for a directory
// record, so their SL and NM entries go to continuation areas (SL chained
// over several entries and pieces), and reads them back with xorriso and
// bsdtar. isocheck is not used here: libcdio's iso-info crashes on any
// symlink in a continuation area, xorriso's own images included. xorriso
// itself refuses to write the "huge" one (over 1,024 bytes).
func TestLongSymlink(t *testing.T) {
	for _, tool := range []string{"xorriso", "bsdtar"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing, and CI is set", tool)
			}
			t.Skipf("skipping: %s is not installed", tool)
		}
	}
	targets := map[string]string{
		"medium": strings.Repeat("component/", 14) + "end",
		"long":   "/" + strings.Repeat("very-long-component-name/", 40) + "end",
		"huge":   strings.Repeat("x", 300) + "/" + strings.Repeat("../", 200) + "y",
	}
	w := iso.NewWriter(&iso.Options{ModTime: fixedTime})
	for name, target := range targets {
		if err := w.Add(iso.Entry{Path: name, Type: iso.TypeSymlink, Mode: 0o777, Target: target}); err != nil {
			t.Fatal(err)
		}
	}
	longName := strings.Repeat("n", 255)
	if err := w.Add(fileEntry("dir/"+longName, "data")); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(t.TempDir(), "links.iso")
	f, err := os.Create(img)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	f.Close()

	out, err := exec.Command("xorriso", "-indev", img, "-lsl", "/", "/dir").CombinedOutput()
	if err != nil {
		t.Fatalf("xorriso: %v\n%s", err, out)
	}
	for name, target := range targets {
		if !strings.Contains(string(out), "'"+name+"' -> '"+target+"'") {
			t.Errorf("xorriso does not list %s -> %s:\n%s", name, target, out)
		}
	}
	if !strings.Contains(string(out), longName) {
		t.Errorf("xorriso does not list the 255-byte name:\n%s", out)
	}
	out, err = exec.Command("bsdtar", "-tvf", img).CombinedOutput()
	if err != nil {
		t.Fatalf("bsdtar: %v\n%s", err, out)
	}
	// libarchive drops the slash between two SL entries (it takes the
	// entry's CONTINUE flag for its last component's), on xorriso's images
	// too, so only the target that fits one SL entry is checked with it.
	if name, target := "medium", targets["medium"]; !strings.Contains(string(out), name+" -> "+target) {
		t.Errorf("bsdtar does not list %s -> %s:\n%s", name, target, out)
	}
}

package iso_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-build/strata/iso"
)

var fixedTime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// mixedTree makes long, colliding and unicode names, symlinks (relative,
// absolute, dangling), hard links, empty files and directories, and files
// of one sector and one byte more.
func mixedTree(t *testing.T, dir string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "a/b/hello.txt"), []byte("hello\n"))
	writeFile(t, filepath.Join(dir, "sizes/one-sector"), pattern(1, 2048))
	writeFile(t, filepath.Join(dir, "sizes/one-sector-plus-one"), pattern(2, 2049))
	writeFile(t, filepath.Join(dir, "sizes/one-byte"), []byte("x"))
	writeFile(t, filepath.Join(dir, "sizes/empty-file"), nil)
	for _, d := range []string{"empty-dir", "a/empty"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	long := strings.Repeat("a long name that ISO 9660 cannot hold ", 6)[:200]
	for i := range 3 {
		writeFile(t, filepath.Join(dir, "long", fmt.Sprintf("%s %d.txt", long, i)), pattern(10+i, 100+i))
		writeFile(t, filepath.Join(dir, "collide", fmt.Sprintf("same-prefix-that-is-long-enough-%d.tar.gz", i)), pattern(20+i, i))
	}
	for i, n := range []string{"Makefile", "makefile", "MAKEFILE", "make_file", "make.file", "make-file", ".makefile"} {
		writeFile(t, filepath.Join(dir, "collide", n), pattern(30+i, i))
	}
	for i, n := range []string{"ünïcødé.txt", "Ελληνικά", "日本.txt", "emoji-😀.txt", "tab\there", "back\\slash", "a:b*c?d"} {
		writeFile(t, filepath.Join(dir, "unicode", n), pattern(40+i, 10))
	}
	if err := os.Mkdir(filepath.Join(dir, "unicode", "répertoire"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"rel":      "../a/b/hello.txt",
		"abs":      "/etc/hostname",
		"dangling": "../nowhere/at/all",
		"dotted":   "./a/../a/./b",
		"longlink": strings.Repeat("long-component/", 6) + "end", // longer targets go to a continuation area, which crashes libcdio (TestLongSymlink)
	} {
		if err := os.MkdirAll(filepath.Join(dir, "links"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, "links", name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Link(filepath.Join(dir, "a/b/hello.txt"), filepath.Join(dir, "hardlink")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(dir, "sizes/one-sector"), filepath.Join(dir, "a/one-sector-link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "sizes/one-byte"), 0o4751); err != nil {
		t.Fatal(err)
	}
}

// deepTree makes directories 12 levels deep, with files at every level.
func deepTree(t *testing.T, dir string) {
	t.Helper()
	p := dir
	for i := 1; i <= 12; i++ {
		p = filepath.Join(p, fmt.Sprintf("level%02d", i))
		writeFile(t, filepath.Join(p, "file.txt"), pattern(i, i*100))
	}
	// A second deep branch whose directory names collide in rr_moved.
	p = filepath.Join(dir, "other")
	for i := 1; i <= 10; i++ {
		p = filepath.Join(p, fmt.Sprintf("level%02d", i))
	}
	writeFile(t, filepath.Join(p, "x"), []byte("x"))
}

// manyTree makes n small files in 100 directories.
func manyTree(n int) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		for d := range 100 {
			if err := os.MkdirAll(filepath.Join(dir, fmt.Sprintf("d%03d", d)), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for i := range n {
			p := filepath.Join(dir, fmt.Sprintf("d%03d", i%100), fmt.Sprintf("file-%06d.dat", i))
			if err := os.WriteFile(p, pattern(i, 1+i%700), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// buildImage writes dir's tree as an image file and returns its path.
func buildImage(t *testing.T, dir string, opts *iso.Options) string {
	t.Helper()
	w := iso.NewWriter(opts)
	if err := w.AddFS(os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(t.TempDir(), "image.iso")
	if err := iso.WriteFile(context.Background(), img, w); err != nil {
		t.Fatal(err)
	}
	return img
}

// TestTrees writes the trees of issue 3's acceptance list and checks each
// image with kdomanski/iso9660 and isocheck (all readers, against the
// source tree).
func TestTrees(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T, dir string)
		long  bool // skipped with -short
	}{
		{name: "mixed", build: mixedTree},
		{name: "deep", build: deepTree},
		{name: "many", build: manyTree(100_000), long: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.long && testing.Short() {
				t.Skip("skipping 100,000 files in -short mode")
			}
			src := t.TempDir()
			tc.build(t, src)
			img := buildImage(t, src, &iso.Options{VolumeID: "TEST_" + strings.ToUpper(tc.name), ModTime: fixedTime})
			f, err := os.Open(img)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			compareTrees(t, sourceTree(t, src, 8), readBack(t, f), !tc.long)
			isocheck(t, img, "--expect-rr", "--expect-joliet", "--compare-dir", src)
		})
	}
}

package iso_test

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kdomanski/iso9660"
)

// sharedTool returns the path of a tool in ../shared/tools (relative to the
// repository root). It skips the test when ../shared is absent, except when
// CI is set: there the tools are always present and must run.
func sharedTool(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "shared", "tools", name))
	if err == nil {
		_, err = os.Stat(p)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing, and CI is set, so the check must run: %v", name, err)
		}
		t.Skipf("skipping the %s check: ../shared/tools/%s not found (../shared is absent)", name, name)
	}
	return p
}

// isocheck runs ../shared/tools/isocheck on img with the given flags.
func isocheck(t *testing.T, img string, flags ...string) {
	t.Helper()
	tool := sharedTool(t, "isocheck")
	args := append(append([]string{"--timeout", "300"}, flags...), img)
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Errorf("isocheck %s failed: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// gotEntry is an entry of a tree, read back or from the source.
type gotEntry struct {
	Dir     bool
	Symlink bool
	Size    int64
	Perm    fs.FileMode
}

// listing is a tree read back from an image or from disk.
type listing struct {
	named map[string]gotEntry // by path
	shape string              // the tree without names: see shapeOf
}

// readBack lists an image's Rock Ridge tree with kdomanski/iso9660, the
// independent reader. Limits of that reader worked around here:
//   - it lists each extent of a multi-extent file as an entry of its own;
//     an entry after a file of one name and 0xFFFFF800 bytes is summed
//     into it;
//   - it does not follow Rock Ridge relocation: a relocated directory's
//     placeholder looks like an empty directory (listing it would panic in
//     GetChildren, capacity -2, so it is not listed) and rr_moved is left out;
//   - it reads a directory's sectors into one reused buffer, and its
//     records keep slices of it: the Rock Ridge entries of every sector but
//     the last are overwritten (v0.4.0, image_reader.go GetAllChildren).
//     Those entries come back with their ISO 9660 names and no mode, or
//     with another entry's name when the bytes happen to parse, so names
//     and modes are compared only in directories of one sector, and the
//     whole tree is compared by shape: for
//     every directory, the sizes and types of its entries, recursively,
//     with symlinks counted as empty files (which they are without RR).
func readBack(t *testing.T, ra io.ReaderAt) listing {
	t.Helper()
	img, err := iso9660.OpenImage(ra)
	if err != nil {
		t.Fatalf("kdomanski/iso9660 cannot open the image: %v", err)
	}
	root, err := img.RootDir()
	if err != nil {
		t.Fatalf("kdomanski/iso9660: root directory: %v", err)
	}
	l := listing{named: map[string]gotEntry{}}
	// known is false below a directory whose name was lost.
	var walk func(d *iso9660.File, prefix string, known bool) string
	walk = func(d *iso9660.File, prefix string, known bool) string {
		kids, err := d.GetChildren()
		if err != nil {
			t.Fatalf("kdomanski/iso9660: listing %q: %v", prefix, err)
		}
		// Only a one-sector directory keeps its records' Rock Ridge entries.
		known = known && d.Size() <= 2048
		var shapes []string
		var lastName string
		var lastSize int64
		for _, c := range kids {
			name := c.Name()
			if prefix == "" && strings.HasPrefix(name, "rr_moved") && c.IsDir() {
				continue
			}
			e := gotEntry{Dir: c.IsDir(), Symlink: c.Mode()&fs.ModeSymlink != 0, Perm: c.Mode().Perm()}
			if !e.Dir && !e.Symlink {
				e.Size = c.Size()
			}
			// All extents of a multi-extent file but the last have
			// 0xFFFFF800 bytes, as this writer makes them.
			if name == lastName && !e.Dir && lastSize == 0xFFFFF800 {
				lastSize = e.Size
				// Next extent of a multi-extent file.
				p := prefix + name
				g := l.named[p]
				g.Size += e.Size
				if g.Perm != 0 {
					l.named[p] = g
				}
				var prev int64
				fmt.Sscanf(shapes[len(shapes)-1], "f:%d", &prev)
				shapes[len(shapes)-1] = fmt.Sprintf("f:%d", prev+e.Size)
				continue
			}
			lastName, lastSize = name, e.Size
			p := prefix + name
			named := known && (c.Mode().Perm() != 0 || e.Symlink)
			if named {
				l.named[p] = e
			}
			switch {
			case e.Dir && c.Size() == 0:
				shapes = append(shapes, "d(?)")
			case e.Dir:
				shapes = append(shapes, "d("+walk(c, p+"/", named)+")")
			case e.Symlink:
				shapes = append(shapes, "f:0") // as when it lost Rock Ridge
			default:
				shapes = append(shapes, fmt.Sprintf("f:%d", e.Size))
			}
		}
		sort.Strings(shapes)
		return strings.Join(shapes, ",")
	}
	l.shape = walk(root, "", true)
	return l
}

// sourceTree lists a directory on disk the way readBack lists an image,
// with directories at relocation depth (maxDepth path elements) shown as
// "d(?)".
func sourceTree(t *testing.T, dir string, maxDepth int) listing {
	t.Helper()
	l := listing{named: map[string]gotEntry{}}
	var walk func(rel string, depth int) string
	walk = func(rel string, depth int) string {
		ents, err := os.ReadDir(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		var shapes []string
		for _, d := range ents {
			info, err := d.Info()
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.ToSlash(filepath.Join(rel, d.Name()))
			e := gotEntry{Dir: d.IsDir(), Symlink: info.Mode()&fs.ModeSymlink != 0, Perm: info.Mode().Perm()}
			switch {
			case e.Dir && depth+1 >= maxDepth:
				shapes = append(shapes, "d(?)")
			case e.Dir:
				shapes = append(shapes, "d("+walk(p, depth+1)+")")
			case e.Symlink:
				shapes = append(shapes, "f:0") // as when it lost Rock Ridge
			default:
				e.Size = info.Size()
				shapes = append(shapes, fmt.Sprintf("f:%d", e.Size))
			}
			if depth+1 <= maxDepth {
				l.named[p] = e
			}
		}
		sort.Strings(shapes)
		return strings.Join(shapes, ",")
	}
	l.shape = walk("", 0)
	return l
}

// compareTrees reports differences between a source listing and an image
// read back: the shapes must be equal, and every named entry read back
// must be in the source with the same type, size and mode. With needNames,
// some entries must have kept their names.
func compareTrees(t *testing.T, want, got listing, needNames bool) {
	t.Helper()
	if want.shape != got.shape {
		a, b := want.shape, got.shape
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		t.Errorf("image read back by kdomanski/iso9660 has another tree shape than the source; first difference at byte %d:\nsource: ...%.200s\nimage:  ...%.200s", i, a[max(0, i-40):], b[max(0, i-40):])
	}
	var diffs []string
	for p, g := range got.named {
		w, ok := want.named[p]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s: in the image, not in the source", p))
		case g != w:
			diffs = append(diffs, fmt.Sprintf("%s: source %+v, image %+v", p, w, g))
		}
	}
	if needNames && len(got.named) == 0 {
		diffs = append(diffs, "no entry with a Rock Ridge name")
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		if len(diffs) > 20 {
			diffs = append(diffs[:20], "...")
		}
		t.Errorf("image read back by kdomanski/iso9660 differs from the source:\n%s", strings.Join(diffs, "\n"))
	}
}

// writeFile creates a file with content and its parent directories.
func writeFile(t *testing.T, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pattern returns n bytes of a pattern that differs per seed.
func pattern(seed, n int) []byte {
	b := make([]byte, n)
	x := uint32(seed)*2654435761 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// fileBytes reads an image file from disk.
func fileBytes(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkErr fails unless err is not nil and mentions want.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("no error, want one mentioning %q", want)
	case !strings.Contains(err.Error(), want):
		t.Errorf("error %q does not mention %q", err, want)
	}
}

// checkNoOutput fails when dst, or a temporary file next to it, exists.
func checkNoOutput(t *testing.T, dst string) {
	t.Helper()
	ents, err := os.ReadDir(filepath.Dir(dst))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		t.Errorf("%s left in the destination folder after a failure", e.Name())
	}
}

package iso_test

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/strata-build/strata/iso"
)

// fuzzNames are the names a fuzzed tree is made of: ones that collide in
// ISO 9660 or Joliet, need continuation areas, or are not ASCII.
var fuzzNames = []string{
	"a", "A", "b", "a.b", "A.B", "a_b", "a-b", ".hidden", "x.y.z", "README", "readme",
	"file;1", "star*", "back\\slash", "sp ace", "ünï", "日本語", "😀", "Ελλάδα",
	strings.Repeat("long", 16), strings.Repeat("long", 16) + "2", strings.Repeat("é", 100),
	"COLLIDE.TXT", "collide.txt", "Collide.Txt", "dir.d", "tab\t",
}

// fuzzTree decodes bytes into options and entries (at most 7 per
// directory, see readBack). The entries are always valid, so writing must
// succeed.
func fuzzTree(data []byte) (iso.Options, []iso.Entry, string) {
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	flags := next()
	opts := iso.Options{NoRockRidge: flags&1 != 0, NoJoliet: flags&2 != 0, ModTime: time.Unix(int64(next())*1e7, 0)}
	if v := next(); v%3 == 0 {
		opts.VolumeID = strings.Repeat("V", int(v%33))
	}
	type dir struct {
		path string
		kids int
	}
	dirs := []*dir{{path: "."}}
	used := map[string]bool{}
	var files []iso.Entry
	var entries []iso.Entry
	for len(data) > 0 && len(entries) < 60 {
		kind, parentB, nameB := next(), next(), next()
		parent := dirs[int(parentB)%len(dirs)]
		if parent.kids >= 7 {
			continue
		}
		name := fuzzNames[int(nameB)%len(fuzzNames)]
		p := name
		if parent.path != "." {
			p = parent.path + "/" + name
		}
		if used[p] {
			continue
		}
		used[p] = true
		parent.kids++
		mode := iso.Entry{}.Mode | 0o644
		switch kind % 5 {
		case 0, 1: // directory, so trees get deep
			entries = append(entries, iso.Entry{Path: p, Type: iso.TypeDir, Mode: 0o755})
			dirs = append(dirs, &dir{path: p})
		case 2:
			size := int(next())<<4 | int(next())%16
			content := pattern(len(entries), size)
			e := iso.Entry{Path: p, Mode: mode, Size: int64(size),
				Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(content)), nil }}
			entries = append(entries, e)
			files = append(files, e)
		case 3:
			entries = append(entries, iso.Entry{Path: p, Type: iso.TypeSymlink, Mode: 0o777, Target: strings.Repeat("../", int(next()%4)) + name})
		case 4:
			if len(files) == 0 {
				entries = append(entries, iso.Entry{Path: p, Mode: mode})
				continue
			}
			entries = append(entries, iso.Entry{Path: p, Type: iso.TypeLink, Target: files[int(next())%len(files)].Path})
		}
	}
	catalog := ""
	if flags&4 != 0 {
		for _, f := range files {
			if f.Size >= 64 {
				catalog = "boot-" + fmt.Sprint(flags) + ".cat"
				opts.Boot = &iso.Boot{BIOS: f.Path, Catalog: catalog}
				if flags&8 != 0 {
					opts.Boot.EFI = f.Path
				}
				if flags&16 != 0 {
					opts.Boot.HybridMBR = mbrTemplate
				}
				break
			}
		}
	}
	return opts, entries, catalog
}

// entriesListing is what readBack should see for entries.
func entriesListing(entries []iso.Entry, catalog string, maxDepth int) listing {
	files := map[string]iso.Entry{}
	for _, e := range entries {
		if e.Type == iso.TypeFile {
			files[e.Path] = e
		}
	}
	kids := map[string][]iso.Entry{}
	all := append([]iso.Entry(nil), entries...)
	if catalog != "" {
		all = append(all, iso.Entry{Path: catalog, Size: 2048, Mode: 0o444})
	}
	for _, e := range all {
		parent := "."
		if i := strings.LastIndexByte(e.Path, '/'); i >= 0 {
			parent = e.Path[:i]
		}
		kids[parent] = append(kids[parent], e)
	}
	l := listing{named: map[string]gotEntry{}}
	var walk func(p string, depth int) string
	walk = func(p string, depth int) string {
		var shapes []string
		for _, e := range kids[p] {
			g := gotEntry{Perm: e.Mode.Perm()}
			switch e.Type {
			case iso.TypeDir:
				g.Dir = true
				if depth+1 >= maxDepth {
					shapes = append(shapes, "d(?)")
				} else {
					shapes = append(shapes, "d("+walk(e.Path, depth+1)+")")
				}
			case iso.TypeSymlink:
				g.Symlink = true
				shapes = append(shapes, "f:0")
			case iso.TypeLink:
				g.Size, g.Perm = files[e.Target].Size, files[e.Target].Mode.Perm()
				shapes = append(shapes, fmt.Sprintf("f:%d", g.Size))
			default:
				g.Size = e.Size
				shapes = append(shapes, fmt.Sprintf("f:%d", g.Size))
			}
			l.named[e.Path] = g
		}
		sort.Strings(shapes)
		return strings.Join(shapes, ",")
	}
	l.shape = walk(".", 0)
	return l
}

// FuzzWriter writes random trees with random options: no panic, no error
// for valid input, and kdomanski/iso9660 reads every entry back at its size
// (with Rock Ridge also with its name, type and mode). Without Rock Ridge
// the reader sees ISO 9660 names, so only the tree's shape is compared, and
// directories are not relocated.
func FuzzWriter(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 1, 2, 2, 0, 5, 40, 3, 1, 6, 2})
	f.Add([]byte{4 | 8 | 16, 7, 3, 2, 0, 9, 100, 7, 0, 0, 1, 1, 0, 2, 2, 1, 3, 3, 4, 4, 4, 1, 5})
	f.Add([]byte{1, 2, 3, 0, 0, 0, 0, 1, 1, 0, 2, 2, 0, 3, 3, 0, 4, 4, 0, 5, 5, 0, 6, 6, 0, 7, 7, 0, 8, 8, 0, 9, 9, 0, 10, 10, 2, 11, 0, 200, 1})
	f.Add([]byte("the quick brown fox jumps over the lazy dog, twice: the quick brown fox"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opts, entries, catalog := fuzzTree(data)
		w := iso.NewWriter(&opts)
		for _, e := range entries {
			if err := w.Add(e); err != nil {
				t.Fatalf("Add(%q): %v", e.Path, err)
			}
		}
		var b bytes.Buffer
		n, err := w.WriteTo(&b)
		if err != nil {
			t.Fatalf("WriteTo: %v", err)
		}
		if n != int64(b.Len()) || n%2048 != 0 {
			t.Fatalf("WriteTo returned %d for %d bytes", n, b.Len())
		}
		got := readBack(t, bytes.NewReader(b.Bytes()))
		if opts.NoRockRidge {
			want := entriesListing(entries, catalog, 1<<30)
			if want.shape != got.shape {
				t.Fatalf("tree shape differs:\nwant %s\ngot  %s", want.shape, got.shape)
			}
			return
		}
		compareTrees(t, entriesListing(entries, catalog, 8), got, false)
	})
}

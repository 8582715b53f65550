package fat_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-build/strata/iso/fat"
)

// epoch is the fixed time of the test images (2023-11-14 22:13:20 UTC).
var epoch = time.Unix(1700000000, 0).UTC()

// content returns n reproducible pseudo-random bytes for a seed.
func content(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 0x5747))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// needTool returns the path of a command, or skips the test, saying so,
// when it is missing; under CI (env CI set) a missing tool fails instead.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found (Debian package %s); CI must have it", name, pkg)
		}
		t.Skipf("skipping: %s not found (install Debian package %s)", name, pkg)
	}
	return p
}

// tree is a test input: files with their content, and extra directories.
type tree struct {
	files map[string][]byte
	dirs  []string
}

func (tr tree) mapFS() fstest.MapFS {
	m := fstest.MapFS{}
	for p, b := range tr.files {
		m[p] = &fstest.MapFile{Data: b, Mode: 0o644, ModTime: epoch}
	}
	for _, d := range tr.dirs {
		m[d] = &fstest.MapFile{Mode: fs.ModeDir | 0o755, ModTime: epoch}
	}
	return m
}

// wantPaths lists what `mdir -/ -b` prints for the tree: every directory
// (with a final slash) and file, as ::/path.
func (tr tree) wantPaths() []string {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, "::/"+p)
		}
	}
	addDirs := func(p string) {
		for d := filepath.Dir(p); d != "."; d = filepath.Dir(d) {
			add(d + "/")
		}
	}
	for p := range tr.files {
		add(p)
		addDirs(p)
	}
	for _, d := range tr.dirs {
		add(d + "/")
		addDirs(d)
	}
	slices.Sort(out)
	return out
}

func manyFiles(n int, format string) map[string][]byte {
	m := map[string][]byte{}
	for i := range n {
		m[fmt.Sprintf(format, i)] = content(uint64(i), i%700)
	}
	return m
}

func deepTree() tree {
	p := "d0"
	for i := 1; i < 14; i++ {
		p += "/Directory Level " + strconv.Itoa(i)
	}
	return tree{files: map[string][]byte{p + "/leaf.bin": content(7, 3000)}, dirs: []string{"d0/empty dir"}}
}

func mixedNames() tree {
	files := map[string][]byte{
		"EFI/BOOT/BOOTX64.EFI":         content(1, 1253376),
		"boot/grub/grub.cfg":           []byte("set timeout=0\n"),
		"README":                       []byte("short upper-case 8.3 name\n"),
		"readme.txt":                   []byte("lower case: long name entry\n"),
		"Mixed.Case.Name.tar.gz":       content(2, 513),
		"a name that is exactly 26.x":  content(3, 512),
		strings.Repeat("n", 255):       []byte("longest name"),
		"Ünïcödé-名前.cfg":               []byte("unicode\n"),
		".hidden":                      []byte("leading period\n"),
		"empty":                        nil,
		"x.y.z":                        content(4, 1),
		"sub/longfilename-1.txt":       content(5, 10),
		"sub/LONGFILENAME-1.TXT.extra": content(6, 11),
	}
	for i := 2; i <= 12; i++ { // short-name tails ~1 ... ~12
		files[fmt.Sprintf("sub/longfilename-%d.txt", i)] = content(uint64(10+i), i)
	}
	return tree{files: files, dirs: []string{"empty dir", "EFI/EMPTY"}}
}

func TestImagesReadBack(t *testing.T) {
	fsck := needTool(t, "fsck.fat", "dosfstools")
	mdir := needTool(t, "mdir", "mtools")
	mcopy := needTool(t, "mcopy", "mtools")
	mlabel := needTool(t, "mlabel", "mtools")

	tests := []struct {
		name     string
		tree     tree
		cfg      fat.Config
		wantBits int
		// wantClusterSize, if not 0, is the expected cluster size.
		wantClusterSize int
	}{
		{name: "esp", tree: tree{files: map[string][]byte{"EFI/BOOT/BOOTX64.EFI": content(1, 1253376),
			"EFI/BOOT/grub.cfg": []byte("configfile /boot/grub/grub.cfg\n")}},
			cfg: fat.Config{Label: "STRATA_EFI", ModTime: epoch}, wantBits: 12},
		{name: "empty", tree: tree{}, cfg: fat.Config{}, wantBits: 12},
		{name: "mixed names", tree: mixedNames(), cfg: fat.Config{Label: "mixed", ModTime: epoch}, wantBits: 12},
		{name: "deep", tree: deepTree(), cfg: fat.Config{ModTime: epoch}, wantBits: 12},
		{name: "cluster edges", tree: tree{files: map[string][]byte{
			"zero": nil, "one": content(1, 1), "sector": content(2, 512), "sector+1": content(3, 513),
			"two sectors": content(4, 1024)}}, cfg: fat.Config{ModTime: epoch}, wantBits: 12},
		{name: "fat16 fixed size", tree: mixedNames(), cfg: fat.Config{Label: "BIG", Size: 16 << 20, ModTime: epoch}, wantBits: 16},
		{name: "fat16 auto", tree: tree{files: map[string][]byte{"big.bin": content(9, 3<<20)}}, cfg: fat.Config{ModTime: epoch}, wantBits: 16},
		{name: "root beyond 512 entries", tree: tree{files: manyFiles(600, "file %03d.dat")}, cfg: fat.Config{ModTime: epoch}, wantBits: 12},
		{name: "big directory", tree: tree{files: manyFiles(3000, "dir/%04d")}, cfg: fat.Config{ModTime: epoch}},
		{name: "large clusters", tree: tree{files: map[string][]byte{"a": content(1, 40000), "b/c": content(2, 70000)}},
			cfg: fat.Config{Size: 128 << 20, ModTime: epoch}, wantBits: 16, wantClusterSize: 2048},
		// Around the FAT12/FAT16 boundary of 4085 clusters: with one-sector
		// clusters and 512 root entries, 4141 sectors give 4084 clusters
		// (FAT12), 4150 sectors give 4085 (FAT16), and the sizes between
		// give a FAT12 volume of two-sector clusters.
		{name: "4084 clusters", tree: tree{files: map[string][]byte{"f": content(1, 1000)}}, cfg: fat.Config{Size: 4141 * 512}, wantBits: 12},
		{name: "4085 clusters", tree: tree{files: map[string][]byte{"f": content(1, 1000)}}, cfg: fat.Config{Size: 4150 * 512}, wantBits: 16},
		{name: "between", tree: tree{files: map[string][]byte{"f": content(1, 1000)}}, cfg: fat.Config{Size: 4145 * 512}, wantBits: 12},
		{name: "small root", tree: tree{files: map[string][]byte{"a": content(1, 5), "sub/b": content(2, 7)}},
			cfg: fat.Config{Label: "SMALL", RootEntries: 5, ModTime: epoch}, wantBits: 12},
		{name: "full", tree: tree{files: map[string][]byte{"f": content(1, 10*512)}}, cfg: fat.Config{Size: 64 * 512}, wantBits: 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			im, err := tc.cfg.PlanFS(tc.tree.mapFS())
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantBits != 0 && im.FATBits() != tc.wantBits {
				t.Errorf("FATBits() = %d, want %d", im.FATBits(), tc.wantBits)
			}
			if tc.wantClusterSize != 0 && im.ClusterSize() != tc.wantClusterSize {
				t.Errorf("ClusterSize() = %d, want %d", im.ClusterSize(), tc.wantClusterSize)
			}
			img := filepath.Join(t.TempDir(), "fat.img")
			writeImage(t, im, img)

			// fsck.fat -n: no errors, no changes proposed, and the FAT type
			// and cluster count it derives are the ones planned.
			out, err := exec.Command(fsck, "-n", "-v", img).CombinedOutput()
			if err != nil {
				t.Fatalf("fsck.fat -n -v: %v\n%s", err, out)
			}
			total, used := im.Clusters()
			for _, want := range []string{
				fmt.Sprintf("2 FATs, %d bit entries", im.FATBits()),
				fmt.Sprintf("%d data clusters", total),
				fmt.Sprintf("/%d clusters", total),
			} {
				if !strings.Contains(string(out), want) {
					t.Errorf("fsck.fat output lacks %q:\n%s", want, out)
				}
			}
			if m := regexp.MustCompile(`(\d+)/\d+ clusters`).FindStringSubmatch(string(out)); m == nil || m[1] != strconv.Itoa(used) {
				t.Errorf("fsck.fat counts used clusters %v, planned %d:\n%s", m, used, out)
			}
			for _, bad := range []string{"differ", "Fix", "Free cluster summary", "invalid", "Invalid", "Repair"} {
				if strings.Contains(string(out), bad) {
					t.Errorf("fsck.fat output has %q:\n%s", bad, out)
				}
			}

			// mtools lists exactly the tree (long names), reads every file
			// back byte for byte, and sees the label.
			env := append(os.Environ(), "MTOOLS_SKIP_CHECK=1", "LC_ALL=C.UTF-8")
			cmd := exec.Command(mdir, "-/", "-b", "-i", img, "::")
			cmd.Env = env
			out, err = cmd.CombinedOutput()
			if err != nil && len(tc.tree.files)+len(tc.tree.dirs) > 0 {
				t.Fatalf("mdir: %v\n%s", err, out)
			}
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				if strings.HasPrefix(l, "::/") {
					got = append(got, l)
				}
			}
			slices.Sort(got)
			if diff := cmp.Diff(tc.tree.wantPaths(), got); diff != "" {
				t.Errorf("mdir -/ -b (-want +got):\n%s", diff)
			}
			if len(tc.tree.files) > 0 {
				checkCopy(t, mcopy, env, img, tc.tree)
			}
			cmd = exec.Command(mlabel, "-s", "-i", img, "::")
			cmd.Env = env
			out, err = cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("mlabel -s: %v\n%s", err, out)
			}
			wantLabel := strings.ToUpper(tc.cfg.Label)
			if wantLabel == "" {
				wantLabel = "has no label"
			}
			if !strings.Contains(string(out), wantLabel) {
				t.Errorf("mlabel -s says %q, want it to mention %q", out, wantLabel)
			}
		})
	}
}

// checkCopy copies the whole image out with mcopy -s and compares every
// file, byte for byte, and the set of files and directories.
func checkCopy(t *testing.T, mcopy string, env []string, img string, tr tree) {
	t.Helper()
	dst := t.TempDir()
	cmd := exec.Command(mcopy, "-s", "-i", img, "::*", dst+"/")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mcopy -s: %v\n%s", err, out)
	}
	var got, want []string
	err := filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dst {
			return err
		}
		rel, _ := filepath.Rel(dst, p)
		if d.IsDir() {
			got = append(got, "::/"+rel+"/")
			return nil
		}
		got = append(got, "::/"+rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if wantData, ok := tr.files[rel]; ok && !bytes.Equal(data, wantData) {
			t.Errorf("mcopy ::/%s: %d bytes that differ from the %d bytes put in", rel, len(data), len(wantData))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range tr.wantPaths() {
		want = append(want, p)
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files copied out by mcopy -s (-want +got):\n%s", diff)
	}
}

func writeImage(t *testing.T, im *fat.Image, name string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	n, err := im.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if n != im.Size() {
		t.Fatalf("WriteTo wrote %d bytes, Size() is %d", n, im.Size())
	}
}

func TestShortNames(t *testing.T) {
	// mdir (without -b) prints each entry's short name, then its long name.
	mdir := needTool(t, "mdir", "mtools")
	tests := []struct {
		name  string
		files []string
		want  map[string]string // long name -> short name as mdir prints it
	}{
		{name: "exact 8.3 needs no long name", files: []string{"BOOTX64.EFI", "README"},
			want: map[string]string{"BOOTX64.EFI": "BOOTX64  EFI", "README": "README"}},
		{name: "case only", files: []string{"grub.cfg", "Makefile"},
			want: map[string]string{"grub.cfg": "GRUB     CFG", "Makefile": "MAKEFILE"}},
		{name: "tails in name order", files: []string{"longfilename-b.txt", "longfilename-a.txt", "LONGFI~1.TXT"},
			want: map[string]string{"LONGFI~1.TXT": "LONGFI~1 TXT", "longfilename-a.txt": "LONGFI~2 TXT", "longfilename-b.txt": "LONGFI~3 TXT"}},
		{name: "lossy", files: []string{"a+b.c", "x.y.z", ".profile", "über"},
			want: map[string]string{"a+b.c": "A_B~1    C", "x.y.z": "XY~1     Z", ".profile": "PROFIL~1", "über": "_BER~1"}},
		{name: "case clash with exact", files: []string{"EMPTY", "empty.txt"},
			want: map[string]string{"EMPTY": "EMPTY", "empty.txt": "EMPTY    TXT"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var entries []fat.Entry
			for _, f := range tc.files {
				entries = append(entries, fat.Entry{Path: f})
			}
			im, err := (&fat.Config{}).Plan(entries)
			if err != nil {
				t.Fatal(err)
			}
			img := filepath.Join(t.TempDir(), "fat.img")
			writeImage(t, im, img)
			cmd := exec.Command(mdir, "-i", img, "::")
			cmd.Env = append(os.Environ(), "MTOOLS_SKIP_CHECK=1", "LC_ALL=C.UTF-8")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("mdir: %v\n%s", err, out)
			}
			got := map[string]string{}
			// "GRUB     CFG         0 2023-11-14  22:13  grub.cfg"
			line := regexp.MustCompile(`^(\S.{7}) (.{3}) +\d+ \S+ +\S+ *(.*)$`)
			for _, l := range strings.Split(string(out), "\n") {
				m := line.FindStringSubmatch(l)
				if m == nil {
					continue
				}
				short := strings.TrimRight(m[1]+" "+m[2], " ")
				long := m[3]
				if long == "" {
					long = strings.TrimSpace(m[1])
					if e := strings.TrimSpace(m[2]); e != "" {
						long += "." + e
					}
				}
				got[long] = short
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("short names (-want +got):\n%s\nmdir said:\n%s", diff, out)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	tr := mixedNames()
	build := func(t *testing.T, cfg fat.Config, entries []fat.Entry) []byte {
		t.Helper()
		im, err := cfg.Plan(entries)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := im.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	entriesAt := func(mtime time.Time) []fat.Entry {
		var es []fat.Entry
		for p, data := range tr.files {
			es = append(es, fat.Entry{Path: p, Size: int64(len(data)), ModTime: mtime,
				Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }})
		}
		for _, d := range tr.dirs {
			es = append(es, fat.Entry{Path: d, Dir: true, ModTime: mtime})
		}
		slices.SortFunc(es, func(a, b fat.Entry) int { return strings.Compare(a.Path, b.Path) })
		return es
	}
	cfg := fat.Config{Label: "STRATA", Serial: 0x1234abcd, ModTime: epoch}
	first := build(t, cfg, entriesAt(epoch.Add(-time.Hour)))

	t.Run("again", func(t *testing.T) {
		if !bytes.Equal(first, build(t, cfg, entriesAt(epoch.Add(-time.Hour)))) {
			t.Error("the same entries gave different bytes")
		}
	})
	t.Run("permuted", func(t *testing.T) {
		es := entriesAt(epoch.Add(-time.Hour))
		rand.New(rand.NewPCG(1, 2)).Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
		if !bytes.Equal(first, build(t, cfg, es)) {
			t.Error("entries in another order gave different bytes")
		}
	})
	t.Run("clamped", func(t *testing.T) {
		later := build(t, cfg, entriesAt(epoch.Add(48*time.Hour)))
		latest := build(t, cfg, entriesAt(epoch.Add(480*time.Hour)))
		if !bytes.Equal(later, latest) {
			t.Error("times after ModTime were not clamped to it")
		}
		if bytes.Equal(first, later) {
			t.Error("entry times do not reach the image")
		}
	})
	t.Run("serial", func(t *testing.T) {
		a := build(t, fat.Config{ModTime: epoch}, entriesAt(epoch))
		b := build(t, fat.Config{ModTime: epoch}, entriesAt(epoch))
		if !bytes.Equal(a, b) {
			t.Error("derived serial is not reproducible")
		}
		other := build(t, fat.Config{ModTime: epoch}, entriesAt(epoch)[1:])
		if bytes.Equal(a[39:43], other[39:43]) {
			t.Errorf("different trees got the same derived serial %x", a[39:43])
		}
		if got := build(t, cfg, nil)[39:43]; !bytes.Equal(got, []byte{0xcd, 0xab, 0x34, 0x12}) {
			t.Errorf("serial bytes %x, want Config.Serial 0x1234abcd little-endian", got)
		}
	})
}

func TestPlanErrors(t *testing.T) {
	file := func(p string) fat.Entry { return fat.Entry{Path: p} }
	tests := []struct {
		name    string
		cfg     fat.Config
		entries []fat.Entry
		wantErr string
		wantIs  error
	}{
		{name: "duplicate", entries: []fat.Entry{file("a/b"), file("a/b")}, wantErr: "fat: a/b is given twice"},
		{name: "case duplicate", entries: []fat.Entry{file("EFI/Boot/x"), file("efi/boot/y")},
			wantErr: "fat: EFI/Boot and efi/boot differ only in case"},
		{name: "case duplicate file", entries: []fat.Entry{file("a/grub.cfg"), file("a/GRUB.CFG")},
			wantErr: "fat: a/grub.cfg and a/GRUB.CFG differ only in case"},
		{name: "file as parent", entries: []fat.Entry{file("a"), file("a/b")}, wantErr: "fat: a is a file, but other entries are below it"},
		{name: "dir and file", entries: []fat.Entry{{Path: "a", Dir: true}, file("a")}, wantErr: "fat: a is given twice"},
		{name: "absolute", entries: []fat.Entry{file("/a")}, wantErr: `"/a" is not a clean relative`},
		{name: "dot dot", entries: []fat.Entry{file("a/../b")}, wantErr: `"a/../b" is not a clean relative`},
		{name: "empty path", entries: []fat.Entry{file("")}, wantErr: "fat: empty path"},
		{name: "colon", entries: []fat.Entry{file("dir/a:b")}, wantErr: `fat: dir/a:b: name "a:b": character ':' is not allowed`},
		{name: "control", entries: []fat.Entry{file("a\tb")}, wantErr: `character '\t' is not allowed`},
		{name: "trailing period", entries: []fat.Entry{file("name.")}, wantErr: "ends in a period or space"},
		{name: "long name", entries: []fat.Entry{file(strings.Repeat("x", 256))}, wantErr: "256 characters long; FAT allows 255"},
		{name: "outside BMP", entries: []fat.Entry{file("emoji-\U0001F600.txt")}, wantErr: "(U+1F600) is outside the Basic Multilingual Plane"},
		{name: "bad utf8", entries: []fat.Entry{file("a\xffb")}, wantErr: `fat: path "a\xffb" is not valid UTF-8`},
		{name: "nil open", entries: []fat.Entry{{Path: "f", Size: 3}}, wantErr: "fat: f: no Open function for 3 bytes"},
		{name: "negative size", entries: []fat.Entry{{Path: "f", Size: -1}}, wantErr: "fat: f: size -1 is out of range"},
		{name: "4 GiB", entries: []fat.Entry{{Path: "f", Size: 1 << 32, Open: func() (io.ReadCloser, error) { return nil, nil }}},
			wantErr: "fat: f: size 4294967296 is out of range"},
		{name: "label too long", cfg: fat.Config{Label: "ABCDEFGHIJKL"}, wantErr: "longer than 11 bytes"},
		{name: "label character", cfg: fat.Config{Label: "A.B"}, wantErr: `character '.' is not allowed`},
		{name: "size not sectors", cfg: fat.Config{Size: 1000}, wantErr: "image size 1000 is not a multiple of 512"},
		{name: "too small", cfg: fat.Config{Size: 64 * 512},
			entries: []fat.Entry{{Path: "f", Size: 100 << 10, Open: func() (io.ReadCloser, error) { return nil, nil }}},
			wantIs:  fat.ErrTooLarge, wantErr: "fat: entries do not fit: in 32768 bytes"},
		{name: "root entries", cfg: fat.Config{RootEntries: 16}, entries: func() []fat.Entry {
			var es []fat.Entry
			for i := range 17 {
				es = append(es, file(fmt.Sprintf("F%d", i)))
			}
			return es
		}(), wantErr: "root directory needs 17 entries, more than RootEntries (16)"},
		{name: "directory full", entries: func() []fat.Entry {
			var es []fat.Entry
			for i := range 40000 {
				es = append(es, file(fmt.Sprintf("d/long name %d", i)))
			}
			return es
		}(), wantErr: "fat: d: directory needs more than 65536 entries"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			im, err := tc.cfg.Plan(tc.entries)
			if err == nil {
				t.Fatalf("Plan succeeded, want error %q", tc.wantErr)
			}
			if im != nil {
				t.Error("Plan returned an image with its error")
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q, want it to contain %q", err, tc.wantErr)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %q is not %v", err, tc.wantIs)
			}
		})
	}
}

func TestPlanFSSymlink(t *testing.T) {
	fsys := fstest.MapFS{"EFI/link": {Data: []byte("target"), Mode: fs.ModeSymlink | 0o777}}
	_, err := (&fat.Config{}).PlanFS(fsys)
	if err == nil || !strings.Contains(err.Error(), "fat: EFI/link: FAT cannot hold a symbolic link") {
		t.Errorf("PlanFS error %v, want one naming EFI/link as a symbolic link", err)
	}
}

// source is an opener whose content can differ from the planned size.
type source struct {
	data    []byte
	openErr error
}

func (s source) open() (io.ReadCloser, error) {
	if s.openErr != nil {
		return nil, s.openErr
	}
	return io.NopCloser(bytes.NewReader(s.data)), nil
}

func TestWriteErrors(t *testing.T) {
	errGone := errors.New("file vanished")
	tests := []struct {
		name    string
		size    int64
		src     source
		wantIs  error
		wantErr string
	}{
		{name: "shrunk", size: 100, src: source{data: make([]byte, 99)}, wantIs: fat.ErrSizeChanged,
			wantErr: "fat: EFI/BOOT/BOOTX64.EFI: file size changed since planning: planned 100 bytes, read 99"},
		{name: "grown", size: 100, src: source{data: make([]byte, 101)}, wantIs: fat.ErrSizeChanged,
			wantErr: "planned 100 bytes, the source has more"},
		{name: "open fails", size: 100, src: source{openErr: errGone}, wantIs: errGone,
			wantErr: "fat: EFI/BOOT/BOOTX64.EFI: file vanished"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			im, err := (&fat.Config{}).Plan([]fat.Entry{
				{Path: "EFI/BOOT/BOOTX64.EFI", Size: tc.size, Open: tc.src.open},
				{Path: "EFI/BOOT/grub.cfg", Size: 1, Open: source{data: []byte("x")}.open},
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = im.WriteTo(io.Discard)
			if err == nil || !errors.Is(err, tc.wantIs) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("WriteTo error %v, want %v containing %q", err, tc.wantIs, tc.wantErr)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	im, err := (&fat.Config{ModTime: epoch}).PlanFS(mixedNames().mapFS())
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if _, err := im.WriteTo(&want); err != nil {
		t.Fatal(err)
	}
	r, err := im.Open()
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if int64(len(got)) != im.Size() || !bytes.Equal(got, want.Bytes()) {
		t.Errorf("Open streamed %d bytes, differing from WriteTo's %d", len(got), want.Len())
	}
}

// cancelAfter is a writer that cancels a context once n bytes went through.
type cancelAfter struct {
	n      int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	c.n -= int64(len(p))
	if c.n <= 0 {
		c.cancel()
	}
	return len(p), nil
}

func TestWriteContext(t *testing.T) {
	im, err := (&fat.Config{ModTime: epoch}).Plan([]fat.Entry{{Path: "big", Size: 4 << 20,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(make([]byte, 4<<20))), nil }}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		cancelAt   int64 // bytes written before the context is cancelled; 0: before the start
		wantAtMost int64
	}{
		{name: "cancelled before", cancelAt: 0, wantAtMost: 0},
		{name: "cancelled in a file", cancelAt: 1 << 20, wantAtMost: 1<<20 + 64<<10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancelAt == 0 {
				cancel()
			}
			n, err := im.WriteContext(ctx, &cancelAfter{n: tc.cancelAt, cancel: cancel})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("WriteContext error %v, want context.Canceled", err)
			}
			if n > tc.wantAtMost {
				t.Errorf("WriteContext wrote %d bytes after the cancel, want at most %d", n, tc.wantAtMost)
			}
		})
	}
}

// BenchmarkWriteTo measures writing an ESP-sized image (a 16 MiB loader and
// 200 small files) to io.Discard; b.SetBytes makes go test print MB/s.
func BenchmarkWriteTo(b *testing.B) {
	big := content(1, 16<<20)
	entries := []fat.Entry{{Path: "EFI/BOOT/BOOTX64.EFI", Size: int64(len(big)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(big)), nil }}}
	for i := range 200 {
		data := content(uint64(i), 1000+i)
		entries = append(entries, fat.Entry{Path: fmt.Sprintf("boot/grub/x86_64-efi/module-%03d.mod", i), Size: int64(len(data)),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }})
	}
	im, err := (&fat.Config{ModTime: epoch}).Plan(entries)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(im.Size())
	for b.Loop() {
		if _, err := im.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

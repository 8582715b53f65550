package iso_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-build/strata/iso"
)

func fileEntry(path string, data string) iso.Entry {
	return iso.Entry{Path: path, Mode: 0o644, Size: int64(len(data)), ModTime: fixedTime,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(data)), nil }}
}

// Writer steps, as in archive/tar's writer tests: each step has the error
// it must return ("" for none).
type (
	addStep struct {
		entry   iso.Entry
		wantErr string
	}
	sizeStep  struct{ wantErr string }
	writeStep struct {
		wantErr string
		wantIs  error
	}
)

func TestWriterSteps(t *testing.T) {
	tests := []struct {
		name  string
		steps []any
	}{{
		name: "write once",
		steps: []any{
			addStep{entry: fileEntry("a/b.txt", "b")},
			addStep{entry: iso.Entry{Path: "a", Type: iso.TypeDir, Mode: 0o700}},
			addStep{entry: iso.Entry{Path: "l", Type: iso.TypeSymlink, Target: "a/b.txt"}},
			addStep{entry: iso.Entry{Path: "h", Type: iso.TypeLink, Target: "a/b.txt"}},
			sizeStep{},
			writeStep{},
			writeStep{wantIs: iso.ErrWritten},
		},
	}, {
		name: "add after planning",
		steps: []any{
			addStep{entry: fileEntry("a", "a")},
			sizeStep{},
			addStep{entry: fileEntry("b", "b"), wantErr: iso.ErrFrozen.Error()},
			writeStep{},
		},
	}, {
		name: "duplicate path is sticky",
		steps: []any{
			addStep{entry: fileEntry("a/x", "1")},
			addStep{entry: fileEntry("a/x", "2"), wantErr: `duplicate entry "a/x": already added as a file`},
			addStep{entry: fileEntry("a/y", "3"), wantErr: `duplicate entry "a/x"`},
			sizeStep{wantErr: `duplicate entry "a/x"`},
			writeStep{wantErr: `duplicate entry "a/x"`},
		},
	}, {
		name: "directory added twice",
		steps: []any{
			addStep{entry: iso.Entry{Path: "d", Type: iso.TypeDir}},
			addStep{entry: iso.Entry{Path: "d", Type: iso.TypeDir}, wantErr: `duplicate entry "d": already added as a directory`},
		},
	}, {
		name:  "entry below a file",
		steps: []any{addStep{entry: fileEntry("f", "")}, addStep{entry: fileEntry("f/x", ""), wantErr: `entry "f/x": "f" was added as a file, not a directory`}},
	}, {
		name:  "NUL in a name",
		steps: []any{addStep{entry: fileEntry("a\x00b", ""), wantErr: `entry "a\x00b": path contains a NUL byte`}},
	}, {
		name:  "slash at the start",
		steps: []any{addStep{entry: fileEntry("/etc/passwd", ""), wantErr: `entry "/etc/passwd": path must be slash-separated and relative`}},
	}, {
		name:  "empty name between slashes",
		steps: []any{addStep{entry: fileEntry("a//b", ""), wantErr: `entry "a//b": path must be`}},
	}, {
		name:  "dot-dot",
		steps: []any{addStep{entry: fileEntry("a/../b", ""), wantErr: `entry "a/../b": path must be`}},
	}, {
		name:  "name too long",
		steps: []any{addStep{entry: fileEntry(strings.Repeat("n", 256), ""), wantErr: "is 256 bytes long, more than 255"}},
	}, {
		name:  "root as a file",
		steps: []any{addStep{entry: fileEntry(".", ""), wantErr: `entry ".": the root must be a directory`}},
	}, {
		name:  "file without data",
		steps: []any{addStep{entry: iso.Entry{Path: "f", Size: 3}, wantErr: `entry "f": file of 3 bytes without an Open function`}},
	}, {
		name:  "empty symlink",
		steps: []any{addStep{entry: iso.Entry{Path: "l", Type: iso.TypeSymlink}, wantErr: `entry "l": symlink target "" is empty`}},
	}, {
		name:  "hard link to nothing",
		steps: []any{addStep{entry: iso.Entry{Path: "h", Type: iso.TypeLink, Target: "x"}}, sizeStep{wantErr: `hard link "h": target "x" is not in the tree`}},
	}, {
		name: "hard link to a directory",
		steps: []any{
			addStep{entry: iso.Entry{Path: "d", Type: iso.TypeDir}},
			addStep{entry: iso.Entry{Path: "h", Type: iso.TypeLink, Target: "d"}},
			writeStep{wantErr: `hard link "h": target "d" is a directory, not a regular file`},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := iso.NewWriter(&iso.Options{ModTime: fixedTime})
			for i, s := range tc.steps {
				var err error
				var want string
				var wantIs error
				switch s := s.(type) {
				case addStep:
					err, want = w.Add(s.entry), s.wantErr
				case sizeStep:
					_, err = w.Size()
					want = s.wantErr
				case writeStep:
					_, err = w.WriteTo(io.Discard)
					want, wantIs = s.wantErr, s.wantIs
				}
				switch {
				case wantIs != nil:
					if !errors.Is(err, wantIs) {
						t.Fatalf("step %d (%T): error %v, want %v", i, s, err, wantIs)
					}
				case want == "" && err != nil:
					t.Fatalf("step %d (%T): unexpected error %v", i, s, err)
				case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
					t.Fatalf("step %d (%T): error %v, want one mentioning %q", i, s, err, want)
				}
			}
		})
	}
}

// TestWriteErrors covers sources that fail or change while the image is
// written, and bad options: each gives an error naming the entry, and
// WriteFile leaves nothing at the destination.
func TestWriteErrors(t *testing.T) {
	errDenied := fs.ErrPermission
	tests := []struct {
		name    string
		opts    iso.Options
		setup   func(t *testing.T, src string) // changes the source tree after AddFS
		entries []iso.Entry
		ctx     func() context.Context
		want    string
		wantIs  error
	}{{
		name: "unreadable source",
		entries: []iso.Entry{{Path: "secret", Size: 10, Open: func() (io.ReadCloser, error) {
			return nil, &fs.PathError{Op: "open", Path: "/src/secret", Err: errDenied}
		}}},
		want: `opening file "secret"`, wantIs: fs.ErrPermission,
	}, {
		name: "read error",
		entries: []iso.Entry{{Path: "bad", Size: 10, Open: func() (io.ReadCloser, error) {
			return io.NopCloser(io.MultiReader(strings.NewReader("12345"), iotestErrReader{})), nil
		}}},
		want: `reading file "bad"`,
	}, {
		name:  "vanished source",
		setup: func(t *testing.T, src string) { os.Remove(filepath.Join(src, "d/file")) },
		want:  `opening file "d/file"`, wantIs: fs.ErrNotExist,
	}, {
		name: "source grew",
		setup: func(t *testing.T, src string) {
			os.WriteFile(filepath.Join(src, "d/file"), []byte("0123456789 and more"), 0o644)
		},
		want: `file "d/file": file size changed since it was added: added with 10 bytes, it has more`, wantIs: iso.ErrSizeChanged,
	}, {
		name:  "source shrank",
		setup: func(t *testing.T, src string) { os.WriteFile(filepath.Join(src, "d/file"), []byte("01"), 0o644) },
		want:  `added with 10 bytes, found 2`, wantIs: iso.ErrSizeChanged,
	}, {
		name: "large source grew", // read while written, not ahead
		setup: func(t *testing.T, src string) {
			os.WriteFile(filepath.Join(src, "large"), pattern(3, 300_001), 0o644)
		},
		want: `file "large": file size changed since it was added: added with 300000 bytes, it has more`, wantIs: iso.ErrSizeChanged,
	}, {
		name:  "large source shrank",
		setup: func(t *testing.T, src string) { os.WriteFile(filepath.Join(src, "large"), pattern(3, 1000), 0o644) },
		want:  `file "large": file size changed since it was added: added with 300000 bytes, found 1000`, wantIs: iso.ErrSizeChanged,
	}, {
		name:  "large source vanished",
		setup: func(t *testing.T, src string) { os.Remove(filepath.Join(src, "large")) },
		want:  `opening file "large"`, wantIs: fs.ErrNotExist,
	}, {
		name: "volume ID too long",
		opts: iso.Options{VolumeID: strings.Repeat("V", 33)},
		want: `volume ID "VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV" is 33 bytes long, more than 32`,
	}, {
		name: "volume ID with a forbidden character",
		opts: iso.Options{VolumeID: "my$disk"},
		want: `volume ID "my$disk" has "$" at byte 2`,
	}, {
		name: "volume ID beyond ASCII",
		opts: iso.Options{VolumeID: "DISK\u00e9"},
		want: `volume ID "DISKé" has "\xc3" at byte 4`,
	}, {
		name: "strict volume ID in lower case",
		opts: iso.Options{VolumeID: "nixos-26.11", StrictVolumeID: true},
		want: `volume ID "nixos-26.11" has "n" at byte 0; ECMA-119 8.4.6 allows only A-Z, 0-9 and _`,
	}, {
		name: "cancelled",
		ctx: func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		},
		wantIs: context.Canceled,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := t.TempDir()
			writeFile(t, filepath.Join(src, "d/file"), []byte("0123456789"))
			writeFile(t, filepath.Join(src, "other"), pattern(1, 5000))
			writeFile(t, filepath.Join(src, "large"), pattern(3, 300_000))
			opts := tc.opts
			opts.ModTime = fixedTime
			w := iso.NewWriter(&opts)
			if err := w.AddFS(os.DirFS(src)); err != nil {
				t.Fatal(err)
			}
			for _, e := range tc.entries {
				if err := w.Add(e); err != nil {
					t.Fatal(err)
				}
			}
			if tc.setup != nil {
				tc.setup(t, src)
			}
			ctx := context.Background()
			if tc.ctx != nil {
				ctx = tc.ctx()
			}
			dst := filepath.Join(t.TempDir(), "out.iso")
			err := iso.WriteFile(ctx, dst, w)
			if tc.want != "" {
				checkErr(t, err, tc.want)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v is not %v", err, tc.wantIs)
			}
			checkNoOutput(t, dst)
		})
	}
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

// TestCancelWhileWriting cancels from the progress callback, in the middle
// of a file: WriteFile stops and leaves nothing behind.
func TestCancelWhileWriting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	w := iso.NewWriter(&iso.Options{ModTime: fixedTime, Progress: func(done, total int64) {
		calls++
		if done > total/2 {
			cancel()
		}
	}})
	for i := range 4 {
		data := string(pattern(i, 3<<20))
		if err := w.Add(fileEntry(strings.Repeat("f", i+1), data)); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "out.iso")
	err := iso.WriteFile(ctx, dst, w)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if calls == 0 {
		t.Errorf("progress was never called")
	}
	checkNoOutput(t, dst)
}

// TestProgress checks that progress ends at the image size and never goes
// back.
func TestProgress(t *testing.T) {
	var last, total int64
	w := iso.NewWriter(&iso.Options{ModTime: fixedTime, Progress: func(d, tot int64) {
		if d < last {
			t.Errorf("progress went back from %d to %d", last, d)
		}
		last, total = d, tot
	}})
	for i := range 3 {
		if err := w.Add(fileEntry(strings.Repeat("p", i+1), string(pattern(i, 40_000)))); err != nil {
			t.Fatal(err)
		}
	}
	size, err := w.Size()
	if err != nil {
		t.Fatal(err)
	}
	n, err := w.WriteTo(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if n != size || last != size || total != size {
		t.Errorf("wrote %d, Size %d, last progress %d of %d: want all equal", n, size, last, total)
	}
}

// TestDeterminism builds one tree several ways with a fixed time: twice,
// after its files' times changed, and with the entries added in reverse
// order. Every image must have the same bytes.
func TestDeterminism(t *testing.T) {
	src := t.TempDir()
	mixedTree(t, src)
	deepTree(t, filepath.Join(src, "deep"))
	boot := func() *iso.Boot {
		return &iso.Boot{BIOS: "isolinux/isolinux.bin", EFI: "boot/efiboot.img", HybridMBR: mbrTemplate}
	}
	bootTree(t, src)
	build := func() []byte {
		return fileBytes(t, buildImage(t, src, &iso.Options{VolumeID: "SAME", ModTime: fixedTime, Boot: boot()}))
	}
	first := build()
	if second := build(); !bytes.Equal(first, second) {
		t.Fatalf("two builds of one tree differ")
	}
	later := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type()&fs.ModeSymlink == 0 {
			os.Chtimes(p, later, later)
		}
		return err
	})
	if again := build(); !bytes.Equal(first, again) {
		t.Errorf("the image changed after the files' times changed")
	}

	// Reverse order: collect the entries, add them backwards.
	var entries []iso.Entry
	fsys := os.DirFS(src)
	rec := iso.NewWriter(nil)
	if err := rec.AddFS(fsys); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		rel = filepath.ToSlash(rel)
		info, _ := d.Info()
		e := iso.Entry{Path: rel, Mode: info.Mode(), ModTime: info.ModTime(), Type: iso.TypeDir}
		switch {
		case info.Mode().IsRegular():
			e.Type, e.Size = iso.TypeFile, info.Size()
			e.Open = func() (io.ReadCloser, error) { return fsys.Open(rel) }
		case info.Mode()&fs.ModeSymlink != 0:
			e.Type = iso.TypeSymlink
			e.Target, _ = os.Readlink(p)
		}
		entries = append(entries, e)
		return nil
	})
	// Hard links as AddFS finds them.
	for i, e := range entries {
		if e.Path == "hardlink" {
			entries[i] = iso.Entry{Path: "hardlink", Type: iso.TypeLink, Target: "a/b/hello.txt"}
		}
		if e.Path == "a/one-sector-link" {
			entries[i] = iso.Entry{Path: e.Path, Type: iso.TypeLink, Target: "sizes/one-sector"}
		}
	}
	w := iso.NewWriter(&iso.Options{VolumeID: "SAME", ModTime: fixedTime, Boot: boot()})
	for i := len(entries) - 1; i >= 0; i-- {
		if err := w.Add(entries[i]); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := w.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, b.Bytes()) {
		i := 0
		for i < len(first) && i < b.Len() && first[i] == b.Bytes()[i] {
			i++
		}
		t.Errorf("adding the entries in reverse order changed the image (first difference at byte %d, sector %d)", i, i/2048)
	}
}

package iso_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/kdomanski/iso9660"
	"github.com/strata-build/strata/iso"
)

const bigSize = 4<<30 + 512<<20 + 3 // 4.5 GiB and 3 bytes: two extents

// sparseBig makes a sparse file of bigSize bytes with a few marks, so a
// wrong extent boundary shows; it takes almost no disk space.
func sparseBig(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(bigSize); err != nil {
		t.Fatal(err)
	}
	for _, off := range []int64{0, 0xFFFFF800 - 10, 0xFFFFF800 + 7, 1<<32 + 5, bigSize - 30} {
		if _, err := f.WriteAt(fmt.Appendf(nil, "mark at %d.", off), off); err != nil {
			t.Fatal(err)
		}
	}
}

// checkWriter receives an image as a stream. It keeps the first part (the
// metadata), finds the big file's extents in it with kdomanski/iso9660,
// and then compares those bytes of the stream with the source file,
// discarding everything else: the image never touches the disk.
type checkWriter struct {
	t       *testing.T
	src     *os.File
	head    []byte
	pos     int64
	extents [][2]int64 // offset, length of each extent, in image bytes
	fileOff []int64    // offset of each extent in the file
	checked int64
	buf     []byte
}

const headSize = 1 << 20

func (c *checkWriter) Write(b []byte) (int, error) {
	n := len(b)
	if c.pos < headSize {
		k := min(int64(len(b)), headSize-c.pos)
		c.head = append(c.head, b[:k]...)
		c.pos += k
		b = b[k:]
		if c.pos < headSize {
			return n, nil
		}
		c.findExtents()
		if err := c.check(c.head, 0); err != nil {
			return 0, err
		}
	}
	if err := c.check(b, c.pos); err != nil {
		return 0, err
	}
	c.pos += int64(len(b))
	return n, nil
}

// check compares the image bytes b, found at offset at, with the file
// where they belong to one of its extents.
func (c *checkWriter) check(b []byte, at int64) error {
	end := at + int64(len(b))
	for i, e := range c.extents {
		lo, hi := max(at, e[0]), min(end, e[0]+e[1])
		if lo >= hi {
			continue
		}
		part := b[lo-at : hi-at]
		if cap(c.buf) < len(part) {
			c.buf = make([]byte, len(part))
		}
		want := c.buf[:len(part)]
		if _, err := c.src.ReadAt(want, c.fileOff[i]+lo-e[0]); err != nil {
			return err
		}
		if !bytes.Equal(part, want) {
			return fmt.Errorf("image bytes %d-%d differ from the file", lo, hi)
		}
		c.checked += hi - lo
	}
	return nil
}

func (c *checkWriter) findExtents() {
	img, err := iso9660.OpenImage(bytes.NewReader(c.head))
	if err != nil {
		c.t.Fatalf("kdomanski/iso9660 cannot open the image head: %v", err)
	}
	root, err := img.RootDir()
	if err != nil {
		c.t.Fatal(err)
	}
	kids, err := root.GetChildren()
	if err != nil {
		c.t.Fatal(err)
	}
	var fileOff int64
	for _, k := range kids {
		if k.Name() != "big" {
			continue
		}
		sr := k.Reader().(*io.SectionReader)
		_, off, n := sr.Outer()
		c.extents = append(c.extents, [2]int64{off, n})
		c.fileOff = append(c.fileOff, fileOff)
		fileOff += n
	}
	if fileOff != bigSize || len(c.extents) != 2 {
		c.t.Fatalf("kdomanski/iso9660 sees %d extents of big, %d bytes in all; want 2, %d bytes", len(c.extents), fileOff, int64(bigSize))
	}
	for i := 1; i < len(c.extents); i++ {
		if p := c.extents[i-1]; p[0]+p[1] != c.extents[i][0] {
			c.t.Errorf("extent %d does not follow extent %d", i, i-1)
		}
	}
}

// TestMultiExtent writes a sparse 4.5 GiB file, which needs two extents
// (ECMA-119 level 3), and reads it back: streamed into a checker (no disk
// used), then, when the disk has room, as a file checked by isocheck.
func TestMultiExtent(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the 4.5 GiB file in -short mode")
	}
	src := t.TempDir()
	big := filepath.Join(src, "big")
	sparseBig(t, big)
	writeFile(t, filepath.Join(src, "small.txt"), []byte("after the big one\n"))
	f, err := os.Open(big)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	t.Run("stream", func(t *testing.T) {
		w := iso.NewWriter(&iso.Options{ModTime: fixedTime})
		if err := w.AddFS(os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
		c := &checkWriter{t: t, src: f}
		n, err := w.WriteTo(c)
		if err != nil {
			t.Fatal(err)
		}
		if c.checked != bigSize {
			t.Errorf("checked %d bytes of the big file against the source, want %d", c.checked, int64(bigSize))
		}
		if n < bigSize {
			t.Errorf("image of %d bytes is smaller than the file", n)
		}
	})

	t.Run("isocheck", func(t *testing.T) {
		sharedTool(t, "isocheck") // skips, saying so, without ../shared
		dir := t.TempDir()
		var st syscall.Statfs_t
		if err := syscall.Statfs(dir, &st); err == nil && int64(st.Bavail)*st.Bsize < 3*bigSize {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s has %d bytes free; CI needs room for a 4.5 GiB image", dir, int64(st.Bavail)*st.Bsize)
			}
			t.Skipf("skipping: %s has %d bytes free, not enough for a 4.5 GiB image", dir, int64(st.Bavail)*st.Bsize)
		}
		img := buildImage(t, src, &iso.Options{ModTime: fixedTime})
		isocheck(t, img, "--expect-rr", "--expect-joliet", "--compare-dir", src)
	})
}

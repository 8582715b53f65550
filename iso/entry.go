package iso

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"
)

// EntryType is the kind of an Entry.
type EntryType uint8

// The kinds of entries.
const (
	TypeFile    EntryType = iota // a regular file: Size bytes from Open
	TypeDir                      // a directory
	TypeSymlink                  // a symbolic link to Target
	TypeLink                     // a hard link to the regular file at path Target
)

// String returns the kind's name as error messages use it ("file",
// "directory", "symlink", "hard link").
func (t EntryType) String() string {
	switch t {
	case TypeFile:
		return "file"
	case TypeDir:
		return "directory"
	case TypeSymlink:
		return "symlink"
	case TypeLink:
		return "hard link"
	}
	return fmt.Sprintf("EntryType(%d)", uint8(t))
}

// Entry describes one entry of the image's tree, as an archive/tar Header
// does. The writer keeps the Entry; the caller must not change it after
// passing it to Writer.Add.
type Entry struct {
	// Path is the slash-separated path inside the image, without a leading
	// slash, as fs.ValidPath accepts it. "." is the root directory, which
	// exists without being added; adding it sets its attributes.
	Path string

	// Type is the kind of entry; the zero value is a regular file.
	Type EntryType

	// Mode holds the permission bits and fs.ModeSetuid, fs.ModeSetgid and
	// fs.ModeSticky; the type bits are ignored (Type decides). Zero is a
	// valid mode (no permissions).
	Mode fs.FileMode

	// UID and GID are the owner, recorded by Rock Ridge.
	UID, GID uint32

	// ModTime is the modification time. It is ignored when
	// Options.ModTime is set; the zero value means 1970-01-01 UTC.
	ModTime time.Time

	// Size is the length of a regular file in bytes. The data Open returns
	// must have exactly this length when the image is written.
	Size int64

	// Open opens a regular file's data. It is called once, while the image
	// is written, possibly from another goroutine and at the same time as
	// the Open of a few other files (small files are read ahead); the
	// reader is closed before WriteTo returns. It may be nil for an empty
	// file.
	Open func() (io.ReadCloser, error)

	// Target is a symlink's target (any non-empty text) or, for a hard
	// link, the Path of the regular file it shares its data with.
	Target string
}

// ErrFrozen is returned by Add and AddFS once the layout was planned (by
// Size or WriteTo): the image can no longer change.
var ErrFrozen = errors.New("iso: entry added after the layout was planned")

// ErrWritten is returned by WriteTo when the image was already written.
var ErrWritten = errors.New("iso: image already written")

// ErrSizeChanged is wrapped by the error WriteTo returns when a file's data
// is longer or shorter than the Size it was added with.
var ErrSizeChanged = errors.New("file size changed since it was added")

// checkPath reports whether p is acceptable as an Entry path.
func checkPath(p string) error {
	if strings.IndexByte(p, 0) >= 0 {
		return errors.New("path contains a NUL byte")
	}
	if p == "." {
		return nil
	}
	if !fs.ValidPath(p) {
		return errors.New(`path must be slash-separated and relative, without empty, "." or ".." elements or a trailing slash`)
	}
	for _, c := range strings.Split(p, "/") {
		if len(c) > 255 {
			return fmt.Errorf("name %.20q... is %d bytes long, more than 255", c, len(c))
		}
	}
	return nil
}

package fat

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of what this package writes.
const (
	sectorSize    = 512   // bytes per sector; FAT spec BPB_BytsPerSec
	dirEntrySize  = 32    // bytes per directory entry; FAT spec "FAT Directory Structure"
	maxFAT12      = 4084  // most clusters of a FAT12 volume (fewer than 4085)
	maxFAT16      = 65524 // most clusters of a FAT16 volume (fewer than 65525)
	maxSecPerClus = 64    // 32 KiB clusters: the largest every implementation reads
	maxDirEntries = 65536 // a directory holds at most 65536 32-byte entries (2 MiB)
	maxFileSize   = 1<<32 - 1
	defaultRoot   = 512     // root directory entries, as mkfs.fat and the FAT spec's FAT16 advice
	alignSectors  = 64      // Size 0 rounds the image up to whole 32 KiB
	reservedSecs  = 1       // BPB_RsvdSecCnt: just the boot sector, as FAT12/16 volumes have
	numFATs       = 2       // BPB_NumFATs
	mediaFixed    = 0xF8    // BPB_Media for a non-removable medium
	maxLongName   = 255     // UTF-16 units in a long file name
	maxImageSize  = 1 << 31 // 65524 clusters of 32 KiB, rounded up
)

// ErrTooLarge is returned (wrapped) by [Config.Plan] when the entries do not
// fit in the requested size, or in any FAT16 volume at all.
var ErrTooLarge = errors.New("fat: entries do not fit")

// ErrSizeChanged is returned (wrapped) by [Image.WriteTo] when a file's
// content is not exactly as long as its planned Size.
var ErrSizeChanged = errors.New("file size changed since planning")

// Config holds the settings of an image. The zero value works: no volume
// label, a volume serial derived from the entries, every timestamp
// 1980-01-01 00:00:00, and the smallest image that holds the entries.
type Config struct {
	// Label is the volume label: up to 11 characters that an 8.3 short
	// name may hold, or spaces. Lower-case ASCII letters are stored in
	// upper case. Empty means none ("NO NAME" in the boot sector).
	Label string

	// Serial is the volume serial number (BS_VolID). Zero means one derived
	// from a hash of the planned layout, so it differs between different
	// trees and is the same for the same tree.
	Serial uint32

	// ModTime is the time of the directories, of the volume label, and of
	// every entry whose ModTime is zero. When it is not zero, every later
	// entry time is clamped to it, as SOURCE_DATE_EPOCH does, so that the
	// image does not depend on when its sources were written. Zero means
	// 1980-01-01 00:00:00, the earliest time FAT can store. Times are
	// stored as their UTC wall clock; FAT keeps two-second steps.
	ModTime time.Time

	// Size is the size of the image in bytes, a multiple of 512. Zero means
	// the smallest size, rounded up to whole 32 KiB, that holds the entries.
	Size int64

	// RootEntries is the number of 32-byte entries of the fixed root
	// directory (at most 4096), rounded up to a multiple of 16; fewer than
	// the root's entries need is an error. Zero means 512, or more if the
	// root's entries need it.
	RootEntries int
}

// Entry is one file or directory to put in an image. Directories named only
// as the parents of other entries are made without an Entry of their own.
type Entry struct {
	// Path is the slash-separated path inside the image, such as
	// "EFI/BOOT/BOOTX64.EFI", without a leading slash and without "." or
	// ".." elements.
	Path string

	// Dir marks a directory; Size and Open are then ignored.
	Dir bool

	// Size is the exact length of the file's content, at most 4 GiB - 1.
	Size int64

	// ModTime is the file's time; zero means the Config's ModTime.
	ModTime time.Time

	// Open returns the file's content. It is called once per
	// [Image.WriteTo], only when the file's clusters are written, and the
	// reader is closed before the next file is opened. It may be nil only
	// when Size is 0.
	Open func() (io.ReadCloser, error)
}

// node is a planned file or directory.
type node struct {
	name     string // long (given) name; "" for the root
	short    [11]byte
	long     bool // needs long file name entries
	dir      bool
	size     int64
	mtime    time.Time
	open     func() (io.ReadCloser, error)
	path     string // for errors
	parent   *node
	children []*node
	explicit bool // given by an Entry, not implied

	cluster  uint32 // first cluster; 0 for empty files and the root
	clusters uint32 // clusters taken
	entries  int    // directory entries this node takes in its parent
}

// Image is a planned FAT image. It is read-only once planned and may be
// written any number of times.
type Image struct {
	fatBits     int // 12 or 16
	totSec      uint32
	secPerClus  uint32
	fatSecs     uint32
	rootEntries uint32
	clusters    uint32 // data clusters in the volume
	used        uint32 // data clusters allocated to entries
	label       [11]byte
	hasLabel    bool
	serial      uint32
	mtime       time.Time
	root        *node
	order       []*node // nodes with clusters, in cluster order
}

// Size returns the length in bytes of the image [Image.WriteTo] writes.
func (im *Image) Size() int64 { return int64(im.totSec) * sectorSize }

// FATBits returns 12 or 16, the width of the image's FAT entries.
func (im *Image) FATBits() int { return im.fatBits }

// Clusters returns the number of data clusters of the image and how many
// of them the entries use.
func (im *Image) Clusters() (total, used int) { return int(im.clusters), int(im.used) }

// ClusterSize returns the size of a cluster in bytes.
func (im *Image) ClusterSize() int { return int(im.secPerClus) * sectorSize }

// PlanFS plans an image holding every directory and regular file of fsys,
// with the times fsys reports (clamped as [Config.ModTime] says). Other
// kinds of files, such as symbolic links, are an error: FAT cannot hold
// them. Files are opened from fsys again when the image is written.
func (c *Config) PlanFS(fsys fs.FS) (*Image, error) {
	var entries []Entry
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("fat: %w", err)
		}
		if p == "." {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("fat: %s: %w", p, err)
		}
		switch {
		case info.IsDir():
			entries = append(entries, Entry{Path: p, Dir: true, ModTime: info.ModTime()})
		case info.Mode().IsRegular():
			name := p
			entries = append(entries, Entry{Path: p, Size: info.Size(), ModTime: info.ModTime(),
				Open: func() (io.ReadCloser, error) { return fsys.Open(name) }})
		default:
			return fmt.Errorf("fat: %s: FAT cannot hold a %s", p, kindOf(info.Mode()))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.Plan(entries)
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "file of mode " + m.String()
}

// Plan computes the layout of an image holding entries. It reads no file
// content and calls no Open. Plan neither keeps nor modifies the slice, but
// the image keeps each Open function and calls it on every WriteTo; an
// image may be written by several goroutines at once if those functions
// allow it.
//
// Plan returns an error, naming the entry, for a malformed or duplicate
// path (FAT names are compared without case), a name FAT cannot hold, a
// file below a regular file, a size out of range, a nil Open with a
// non-zero Size, or an invalid Label; and [ErrTooLarge] when the entries
// do not fit. The *Image is nil whenever the error is not.
func (c *Config) Plan(entries []Entry) (*Image, error) {
	im := &Image{mtime: c.ModTime}
	if im.mtime.IsZero() {
		im.mtime = fatEpoch
	}
	if err := im.setLabel(c.Label); err != nil {
		return nil, err
	}
	if c.Size < 0 || c.Size%sectorSize != 0 || c.Size > maxImageSize {
		return nil, fmt.Errorf("fat: image size %d is not a multiple of %d between 0 and %d", c.Size, sectorSize, int64(maxImageSize))
	}
	if c.RootEntries < 0 || c.RootEntries > 4096 {
		return nil, fmt.Errorf("fat: %d root directory entries is out of range (0 to 4096)", c.RootEntries)
	}
	root, err := buildTree(entries, c.ModTime, im.mtime)
	if err != nil {
		return nil, err
	}
	im.root = root
	if err := assignShortNames(root); err != nil {
		return nil, err
	}

	// The root directory is fixed; it holds the label entry too.
	rootNeed := dirEntriesOf(root)
	if im.hasLabel {
		rootNeed++
	}
	if rootNeed > 4096 {
		return nil, fmt.Errorf("fat: the root directory needs %d entries; FAT12/16 allow at most 4096 (put files in a subdirectory)", rootNeed)
	}
	if c.RootEntries != 0 {
		if rootNeed > c.RootEntries {
			return nil, fmt.Errorf("fat: the root directory needs %d entries, more than RootEntries (%d)", rootNeed, c.RootEntries)
		}
		im.rootEntries = uint32(c.RootEntries+15) / 16 * 16
	} else {
		im.rootEntries = uint32(max(defaultRoot, rootNeed)+15) / 16 * 16
	}

	if err := im.chooseGeometry(c.Size); err != nil {
		return nil, err
	}
	im.allocate()
	im.serial = c.Serial
	if im.serial == 0 {
		im.serial = im.layoutHash()
	}
	return im, nil
}

// fatEpoch is the earliest time a FAT directory entry can hold.
var fatEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

func (im *Image) setLabel(label string) error {
	im.label = [11]byte{'N', 'O', ' ', 'N', 'A', 'M', 'E', ' ', ' ', ' ', ' '}
	if strings.TrimRight(label, " ") == "" {
		return nil
	}
	if len(label) > 11 {
		return fmt.Errorf("fat: volume label %q is longer than 11 bytes", label)
	}
	var l [11]byte
	for i := range l {
		l[i] = ' '
	}
	for i := 0; i < len(label); i++ {
		b := upper(label[i])
		if b != ' ' && !shortChar(b) {
			return fmt.Errorf("fat: volume label %q: character %q is not allowed (use A-Z, 0-9, space and !#$%%&'()-@^_`{}~)", label, label[i])
		}
		l[i] = b
	}
	if l[0] == ' ' {
		return fmt.Errorf("fat: volume label %q starts with a space", label)
	}
	im.label, im.hasLabel = l, true
	return nil
}

// buildTree checks the entries and makes the directory tree, children sorted
// by name.
func buildTree(entries []Entry, clamp, def time.Time) (*node, error) {
	root := &node{dir: true, mtime: def, explicit: true}
	byPath := map[string]*node{"": root}   // exact path
	byFold := map[string]*node{"": root}   // case-folded path, for FAT's case-insensitive names
	stamp := func(t time.Time) time.Time { // default and clamp
		if t.IsZero() {
			return def
		}
		if !clamp.IsZero() && t.After(clamp) {
			return clamp
		}
		return t
	}
	var lookup func(p string) (*node, error)
	lookup = func(p string) (*node, error) { // an implied directory
		if p == "." {
			p = ""
		}
		if n, ok := byPath[p]; ok {
			if !n.dir {
				return nil, fmt.Errorf("fat: %s is a file, but other entries are below it", n.path)
			}
			return n, nil
		}
		if n, ok := byFold[strings.ToUpper(p)]; ok {
			return nil, fmt.Errorf("fat: %s and %s differ only in case; FAT names ignore case", n.path, p)
		}
		parent, err := lookup(path.Dir(p))
		if err != nil {
			return nil, err
		}
		n := &node{name: path.Base(p), dir: true, mtime: def, path: p, parent: parent}
		parent.children = append(parent.children, n)
		byPath[p], byFold[strings.ToUpper(p)] = n, n
		return n, nil
	}
	for i := range entries {
		e := &entries[i]
		p := e.Path
		if err := checkPath(p); err != nil {
			return nil, err
		}
		if !e.Dir {
			if e.Size < 0 || e.Size > maxFileSize {
				return nil, fmt.Errorf("fat: %s: size %d is out of range (0 to %d)", p, e.Size, int64(maxFileSize))
			}
			if e.Open == nil && e.Size != 0 {
				return nil, fmt.Errorf("fat: %s: no Open function for %d bytes of content", p, e.Size)
			}
		}
		if n, ok := byPath[p]; ok {
			if n.explicit || !n.dir || !e.Dir {
				return nil, fmt.Errorf("fat: %s is given twice", p)
			}
			n.explicit, n.mtime = true, stamp(e.ModTime) // a directory implied before
			continue
		}
		if n, ok := byFold[strings.ToUpper(p)]; ok {
			return nil, fmt.Errorf("fat: %s and %s differ only in case; FAT names ignore case", n.path, p)
		}
		dir := path.Dir(p)
		if dir == "." {
			dir = ""
		}
		parent, err := lookup(dir)
		if err != nil {
			return nil, err
		}
		n := &node{name: path.Base(p), dir: e.Dir, size: e.Size, mtime: stamp(e.ModTime),
			open: e.Open, path: p, parent: parent, explicit: true}
		if n.dir {
			n.size, n.open = 0, nil
		}
		parent.children = append(parent.children, n)
		byPath[p], byFold[strings.ToUpper(p)] = n, n
	}
	var sortTree func(n *node)
	sortTree = func(n *node) {
		slices.SortFunc(n.children, func(a, b *node) int { return strings.Compare(a.name, b.name) })
		for _, c := range n.children {
			sortTree(c)
		}
	}
	sortTree(root)
	return root, nil
}

// checkPath reports a path that is not a clean relative path of names a
// VFAT long name may hold.
func checkPath(p string) error {
	if p == "" || p == "." {
		return fmt.Errorf("fat: empty path (the root directory needs no entry)")
	}
	if !utf8.ValidString(p) {
		return fmt.Errorf("fat: path %q is not valid UTF-8", p)
	}
	if strings.HasPrefix(p, "/") || !fs.ValidPath(p) {
		return fmt.Errorf("fat: %q is not a clean relative slash-separated path", p)
	}
	for _, name := range strings.Split(p, "/") {
		if err := checkName(name); err != nil {
			return fmt.Errorf("fat: %s: %w", p, err)
		}
	}
	return nil
}

// layoutHash derives a volume serial from everything planned.
func (im *Image) layoutHash() uint32 {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d %d %d %q %d\n", im.totSec, im.secPerClus, im.fatBits, im.label, im.mtime.Unix())
	var walk func(n *node)
	walk = func(n *node) {
		fmt.Fprintf(h, "%q %t %d %d %d\n", n.path, n.dir, n.size, n.mtime.Unix(), n.cluster)
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(im.root)
	return h.Sum32()
}

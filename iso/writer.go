package iso

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"
)

// Options are the settings of a Writer. The zero value works: volume ID
// "ISOIMAGE", entry times as given, Rock Ridge and Joliet on, not bootable.
type Options struct {
	// VolumeID is the volume identifier, at most 32 bytes (ECMA-119
	// 8.4.6). Empty means "ISOIMAGE". Which characters it may hold is
	// CheckVolumeID's rule: lower case, '-' and '.' are accepted unless
	// StrictVolumeID is set.
	VolumeID string

	// StrictVolumeID limits VolumeID to d-characters (A-Z, 0-9, _), as
	// ECMA-119 asks; see CheckVolumeID.
	StrictVolumeID bool

	// Publisher and Application go into the primary volume descriptor
	// (ECMA-119 8.4.20, 8.4.22); at most 128 a-characters each.
	Publisher, Application string

	// ModTime, when not zero, is every timestamp in the image: files,
	// directories and the volume; entries' own times are ignored, so the
	// same tree gives the same bytes. When zero, entries keep their times
	// and the volume's dates are the newest of them. The writer never
	// reads the clock.
	ModTime time.Time

	// NoRockRidge and NoJoliet leave out those extensions.
	NoRockRidge, NoJoliet bool

	// Boot, when not nil, makes the image bootable.
	Boot *Boot

	// Progress, when not nil, is called while the image is written with
	// the bytes written so far and the image's total size, at least once
	// per file and at the end (done == total).
	Progress func(done, total int64)
}

// Boot names the boot files of an image; they are entries of the tree.
type Boot struct {
	// BIOS is the path of an El Torito no-emulation boot image for PC BIOS
	// (isolinux/isolinux.bin). Empty: no BIOS entry.
	BIOS string

	// BIOSLoadSize is the number of 512-byte sectors the BIOS loads from
	// the BIOS image; 0 means 4 (what isolinux wants).
	BIOSLoadSize uint16

	// NoBootInfoTable leaves the BIOS image as it is. By default the
	// 56-byte boot information table (El Torito addresses and a checksum,
	// as mkisofs -boot-info-table) is written into it at offset 8; the
	// image's data in the ISO then differs from its source in those bytes.
	NoBootInfoTable bool

	// EFI is the path of a FAT file system image holding
	// EFI/BOOT/BOOTX64.EFI, for an El Torito entry with platform ID 0xEF.
	// Empty: no UEFI entry.
	EFI string

	// Catalog is the path of the boot catalog, a file the writer adds.
	// Empty means boot.cat in the directory of the BIOS image (else of the
	// EFI image). It must not be the path of another entry.
	Catalog string

	// HybridMBR, when not nil, is an isohybrid MBR template such as
	// syslinux's isohdpfx.bin: its first 432 bytes (boot code) become the
	// image's MBR, patched with the BIOS image's address, followed by a
	// partition table, and a GPT is added. It needs BIOS. The slice is
	// read, never changed.
	HybridMBR []byte
}

// node is one entry of the tree.
type node struct {
	name   string // Rock Ridge name; "" for the root
	parent *node
	kind   EntryType
	mode   fs.FileMode
	uid    uint32
	gid    uint32
	mtime  int64 // seconds since 1970 (ECMA-119 records seconds); 0 for the zero time
	size   int64
	open   func() (io.ReadCloser, error)
	fsys   fs.FS  // for entries of AddFS: the data is fsys.Open(path), with no closure per file
	target string // symlink target, or hard link target path until resolved
	data   *node  // the node whose data a regular file uses (itself, or a hard link's target)
	dir    *dirInfo

	explicit bool   // added by the caller (not only implied by a child's path)
	synth    bool   // data made by the writer (boot catalog)
	nlink    uint32 // Rock Ridge link count
	ino      uint32 // Rock Ridge file serial number
	extent   uint32 // first sector of the file's data
	isoName  string // ISO 9660 identifier in its ISO parent
	jolName  string // Joliet identifier (UTF-16BE bytes)
	reloc    *node  // for a placeholder of a relocated directory: the directory
}

// dirInfo is what a directory node has more than other nodes.
type dirInfo struct {
	children    []*node // Rock Ridge tree, sorted by name
	jolKids     []*node // Joliet records, sorted by identifier
	isoKids     []*node // ISO 9660 records, sorted by identifier
	isoParent   *node   // parent in the ISO 9660 tree (rr_moved when relocated)
	relocated   bool    // moved to rr_moved (RRIP 4.1.5)
	placeholder *node   // for a relocated directory: its record in the original parent
	isoLevel    int     // ECMA-119 6.8.2.1 level in the ISO 9660 tree; the root is 1
	isoLBA      uint32
	isoSize     uint32
	jolLBA      uint32
	jolSize     uint32
	isoNum      int // path table numbers (ECMA-119 9.4)
	jolNum      int
}

// Writer builds an ISO 9660 image. Add entries with Add or AddFS, then call
// WriteTo once. Errors are sticky: after one, every method returns it. A
// Writer is not safe for concurrent use.
type Writer struct {
	opts   Options
	root   *node
	byPath map[string]*node
	err    error
	plan   *plan
	done   bool
}

// NewWriter returns a Writer with a copy of opts; nil means the zero
// Options. Boot.HybridMBR is kept, not copied.
func NewWriter(opts *Options) *Writer {
	w := &Writer{byPath: make(map[string]*node)}
	if opts != nil {
		w.opts = *opts
		if opts.Boot != nil {
			b := *opts.Boot
			w.opts.Boot = &b
		}
	}
	w.root = &node{kind: TypeDir, mode: 0o755, dir: &dirInfo{}}
	w.byPath["."] = w.root
	return w
}

// Add adds one entry. Directories named in its path that were not added
// yet are created with mode 0755 and time zero (or Options.ModTime); adding
// such a directory later sets its attributes. It is an error to add two
// entries with one path, or an entry below a non-directory.
func (w *Writer) Add(e Entry) error {
	if w.err != nil {
		return w.err
	}
	if w.plan != nil {
		return ErrFrozen
	}
	if err := w.add(e); err != nil {
		w.err = err
		return err
	}
	return nil
}

func (w *Writer) add(e Entry) error {
	if err := checkPath(e.Path); err != nil {
		return fmt.Errorf("iso: entry %q: %w", e.Path, err)
	}
	switch e.Type {
	case TypeFile:
		if e.Size < 0 {
			return fmt.Errorf("iso: entry %q: negative size %d", e.Path, e.Size)
		}
		if e.Open == nil && e.Size > 0 {
			return fmt.Errorf("iso: entry %q: file of %d bytes without an Open function", e.Path, e.Size)
		}
	case TypeDir:
	case TypeSymlink:
		if e.Target == "" || strings.IndexByte(e.Target, 0) >= 0 {
			return fmt.Errorf("iso: entry %q: symlink target %q is empty or contains a NUL byte", e.Path, e.Target)
		}
	case TypeLink:
		if err := checkPath(e.Target); err != nil || e.Target == "." {
			return fmt.Errorf("iso: entry %q: hard link target %q is not a valid entry path", e.Path, e.Target)
		}
	default:
		return fmt.Errorf("iso: entry %q: unknown entry type %d", e.Path, e.Type)
	}
	if e.Path == "." {
		if e.Type != TypeDir {
			return fmt.Errorf("iso: entry %q: the root must be a directory, not a %v", e.Path, e.Type)
		}
		if w.root.explicit {
			return fmt.Errorf("iso: duplicate entry %q: the root directory was already added", e.Path)
		}
		w.setAttrs(w.root, e)
		return nil
	}
	parent := w.root
	rest := e.Path
	for {
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			break
		}
		comp := rest[:i]
		rest = rest[i+1:]
		p := e.Path[:len(e.Path)-len(rest)-1]
		n := w.byPath[p]
		if n == nil {
			n = &node{name: comp, parent: parent, kind: TypeDir, mode: 0o755, dir: &dirInfo{}}
			parent.dir.children = append(parent.dir.children, n)
			w.byPath[p] = n
		} else if n.kind != TypeDir {
			return fmt.Errorf("iso: entry %q: %q was added as a %v, not a directory", e.Path, p, n.kind)
		}
		parent = n
	}
	if old := w.byPath[e.Path]; old != nil {
		if old.explicit || e.Type != TypeDir {
			return fmt.Errorf("iso: duplicate entry %q: already added as a %v", e.Path, old.kind)
		}
		w.setAttrs(old, e)
		return nil
	}
	n := &node{name: rest, parent: parent, kind: e.Type}
	if e.Type == TypeDir {
		n.dir = &dirInfo{}
	}
	w.setAttrs(n, e)
	parent.dir.children = append(parent.dir.children, n)
	w.byPath[e.Path] = n
	return nil
}

func (w *Writer) setAttrs(n *node, e Entry) {
	n.explicit = true
	n.mode = e.Mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	n.uid, n.gid = e.UID, e.GID
	n.mtime = 0
	if !e.ModTime.IsZero() {
		n.mtime = e.ModTime.Unix()
	}
	n.size = e.Size
	n.open = e.Open
	n.target = e.Target
}

// path returns n's path in the tree, for messages.
func (n *node) path() string {
	if n.parent == nil {
		return "."
	}
	if n.parent.parent == nil {
		return n.name
	}
	return n.parent.path() + "/" + n.name
}

// AddFS adds every entry of fsys, root included, as fs.WalkDir finds them.
// Symbolic links need fsys to implement fs.ReadLinkFS (os.DirFS does).
// When the file info's Sys is a *syscall.Stat_t, owners are taken from it
// and files that share an inode become hard links. Other file types
// (devices, pipes, sockets) are an error naming the entry. Files are opened
// only by WriteTo.
func (w *Writer) AddFS(fsys fs.FS) error {
	if w.err != nil {
		return w.err
	}
	if w.plan != nil {
		return ErrFrozen
	}
	seen := make(map[[2]uint64]string)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("iso: reading %q: %w", p, err)
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("iso: reading %q: %w", p, err)
		}
		m := info.Mode()
		e := Entry{Path: p, Mode: m, ModTime: info.ModTime()}
		st, ok := statOf(info)
		if ok {
			e.UID, e.GID = st.uid, st.gid
		}
		switch {
		case m.IsDir():
			e.Type = TypeDir
		case m.IsRegular():
			e.Type, e.Size = TypeFile, info.Size()
			if ok && st.nlink > 1 {
				key := [2]uint64{st.dev, st.ino}
				if first, dup := seen[key]; dup {
					e = Entry{Path: p, Type: TypeLink, Target: first}
					break
				}
				seen[key] = p
			}
			e.Open = openFromFS // replaced by fsys in the node: see addFS
		case m&fs.ModeSymlink != 0:
			e.Type = TypeSymlink
			t, err := fs.ReadLink(fsys, p)
			if err != nil {
				return fmt.Errorf("iso: reading symlink %q: %w", p, err)
			}
			e.Target = t
		default:
			return fmt.Errorf("iso: entry %q: unsupported file type %v", p, m.Type())
		}
		if err := w.Add(e); err != nil {
			return err
		}
		if e.Type == TypeFile {
			// One shared fs.FS instead of a closure per file: memory for
			// 100,000 files matters.
			n := w.byPath[p]
			n.open, n.fsys = nil, fsys
		}
		return nil
	})
	if err != nil && w.err == nil {
		w.err = err
	}
	return err
}

// Size plans the layout, if that was not done yet, and returns the size of
// the image in bytes. Entries can no longer be added afterwards.
func (w *Writer) Size() (int64, error) {
	if err := w.planOnce(); err != nil {
		return 0, err
	}
	return w.plan.total, nil
}

func (w *Writer) planOnce() error {
	if w.err != nil {
		return w.err
	}
	if w.plan != nil {
		return nil
	}
	p, err := newPlan(w)
	if err != nil {
		w.err = err
		return err
	}
	w.plan = p
	w.byPath = nil
	return nil
}

var errNoData = errors.New("no data")

// openFromFS marks an Entry whose data AddFS opens from its fs.FS.
func openFromFS() (io.ReadCloser, error) { return nil, errNoData }

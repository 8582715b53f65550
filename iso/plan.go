package iso

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

const (
	sector        = 2048
	systemSectors = 16         // ECMA-119 6.2.1: the system area
	maxExtent     = 0xFFFFF800 // largest extent of a multi-extent file: 4 GiB less one sector
	maxDepth      = 8          // ECMA-119 6.8.2.1: directory levels including the root
	maxBootImage  = 64 << 20   // largest BIOS boot image patched in memory
)

// plan is the layout of an image, computed from the entries' metadata.
type plan struct {
	opts    *Options
	rr      bool
	joliet  bool
	volTime time.Time
	root    *node
	rrMoved *node

	isoDirs []*node // path table order
	jolDirs []*node

	bootRecLBA, svdLBA, termLBA uint32
	isoPTSize, jolPTSize        uint32
	isoPTL, isoPTM              uint32
	jolPTL, jolPTM              uint32
	catalog                     *node
	bios, efi                   *node
	ceLBA, ceSectors            uint32
	ceOwners                    []ceKey       // records with continuation areas, in area order
	cePieces                    []ceLoc       // every piece, in area order
	ceFirst                     map[ceKey]int // record -> index of its first piece
	files                       []*node       // nodes with data, in data order
	dataLBA                     uint32        // first sector of file data
	volSectors                  uint32        // volume space size
	total                       int64
	hybrid                      bool
}

// recKind says which directory record of a node is meant.
type recKind uint8

const (
	recSelf   recKind = iota // the node's record in its ISO parent
	recDot                   // a directory's "." record
	recDotDot                // a directory's ".." record
)

type ceKey struct {
	n    *node
	kind recKind
}

// ceLoc is one piece of a continuation area.
type ceLoc struct {
	sector uint32 // relative to ceLBA
	off    uint16
	len    uint16
}

func newPlan(w *Writer) (*plan, error) {
	p := &plan{opts: &w.opts, rr: !w.opts.NoRockRidge, joliet: !w.opts.NoJoliet, root: w.root}
	if err := checkVolumeID(w.opts.VolumeID, w.opts.StrictVolumeID); err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, v string }{{"publisher", w.opts.Publisher}, {"application", w.opts.Application}} {
		if len(f.v) > 128 {
			return nil, fmt.Errorf("iso: %s %q is %d bytes long, more than 128", f.name, f.v, len(f.v))
		}
		for i := 0; i < len(f.v); i++ {
			if f.v[i] < 0x20 || f.v[i] > 0x7e {
				return nil, fmt.Errorf("iso: %s %q has a character ECMA-119 7.4.1 does not allow (%q)", f.name, f.v, f.v[i])
			}
		}
	}
	if err := p.setupBoot(w); err != nil {
		return nil, err
	}
	p.sortTree() // first: everything after walks the tree in this order
	if err := p.resolveLinks(w); err != nil {
		return nil, err
	}
	w.byPath = nil // not needed any more; frees memory before naming
	if err := p.buildISOTree(); err != nil {
		return nil, err
	}
	if err := p.layout(); err != nil {
		return nil, err
	}
	return p, nil
}

func checkVolumeID(id string, strict bool) error {
	return CheckVolumeID(id, strict)
}

// CheckVolumeID reports what is wrong with id as a volume identifier, or
// returns nil. An id has at most 32 bytes (ECMA-119 8.4.6). With strict set,
// every byte must be a d-character (A-Z, 0-9, _), as ECMA-119 asks.
// Otherwise the a-characters (ECMA-119 7.4.1: also space and
// !"%&'()*+,-./:;<=>?) and lower-case letters are accepted too, as
// xorriso and genisoimage accept them: NixOS's own volume IDs, such as
// "nixos-minimal-25.05-x86_64", are lower case with '-' and '.', and a
// booted system finds its medium by that exact label (root=LABEL=...), so
// the writer must not change it. Control characters, bytes beyond ASCII and
// the remaining punctuation ($ # @ [ \ ] ^ ` { | } ~) are rejected in
// both modes.
func CheckVolumeID(id string, strict bool) error {
	if len(id) > 32 {
		return fmt.Errorf("iso: volume ID %q is %d bytes long, more than 32 (ECMA-119 8.4.6)", id, len(id))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if isoChar(c) == c {
			continue
		}
		if strict {
			return fmt.Errorf("iso: volume ID %q has %q at byte %d; ECMA-119 8.4.6 allows only A-Z, 0-9 and _", id, id[i:i+1], i)
		}
		if !(c >= 'a' && c <= 'z' || strings.IndexByte(" !\"%&'()*+,-./:;<=>?", c) >= 0) {
			return fmt.Errorf("iso: volume ID %q has %q at byte %d; a volume ID holds A-Z, a-z, 0-9 and _ !\"%%&'()*+,-./:;<=>? only", id, id[i:i+1], i)
		}
	}
	return nil
}

// setupBoot finds the boot images and adds the boot catalog.
func (p *plan) setupBoot(w *Writer) error {
	b := w.opts.Boot
	if b == nil {
		return nil
	}
	find := func(what, path string) (*node, error) {
		n := w.byPath[path]
		if n == nil {
			return nil, fmt.Errorf("iso: %s boot image %q: no such entry in the tree", what, path)
		}
		for n.kind == TypeLink {
			n = w.byPath[n.target]
			if n == nil {
				return nil, fmt.Errorf("iso: %s boot image %q: hard link to a missing entry", what, path)
			}
		}
		if n.kind != TypeFile {
			return nil, fmt.Errorf("iso: %s boot image %q is a %v, not a regular file", what, path, n.kind)
		}
		if n.size == 0 {
			return nil, fmt.Errorf("iso: %s boot image %q is empty", what, path)
		}
		return n, nil
	}
	var err error
	if b.BIOS != "" {
		if p.bios, err = find("BIOS", b.BIOS); err != nil {
			return err
		}
		if !b.NoBootInfoTable && (p.bios.size < 64 || p.bios.size > maxBootImage) {
			return fmt.Errorf("iso: BIOS boot image %q is %d bytes; a boot information table needs 64 bytes to %d MiB", b.BIOS, p.bios.size, maxBootImage>>20)
		}
	}
	if b.EFI != "" {
		if p.efi, err = find("EFI", b.EFI); err != nil {
			return err
		}
	}
	if b.HybridMBR != nil {
		if p.bios == nil {
			return fmt.Errorf("iso: a hybrid MBR needs a BIOS boot image (Boot.BIOS)")
		}
		if len(b.HybridMBR) < 432 {
			return fmt.Errorf("iso: hybrid MBR template is %d bytes; it needs at least the 432 bytes of boot code", len(b.HybridMBR))
		}
		p.hybrid = true
	}
	if p.bios == nil && p.efi == nil {
		if b.Catalog != "" {
			return fmt.Errorf("iso: boot catalog %q without a BIOS or EFI boot image", b.Catalog)
		}
		return nil
	}
	cat := b.Catalog
	if cat == "" {
		first := b.BIOS
		if first == "" {
			first = b.EFI
		}
		if i := strings.LastIndexByte(first, '/'); i >= 0 {
			cat = first[:i+1] + "boot.cat"
		} else {
			cat = "boot.cat"
		}
	}
	if old := w.byPath[cat]; old != nil {
		return fmt.Errorf("iso: boot catalog %q: the tree already has a %v with that path", cat, old.kind)
	}
	if err := w.add(Entry{Path: cat, Mode: 0o444, Size: sector, Open: func() (io.ReadCloser, error) { return nil, errNoData }}); err != nil {
		return fmt.Errorf("iso: boot catalog: %w", err)
	}
	p.catalog = w.byPath[cat]
	p.catalog.synth = true // data made while writing
	return nil
}

// resolveLinks points every regular file at the node holding its data,
// counts links and numbers the nodes.
func (p *plan) resolveLinks(w *Writer) error {
	var err error
	var ino uint32
	var walk func(n *node)
	walk = func(n *node) {
		ino++
		n.ino = ino
		switch n.kind {
		case TypeFile:
			n.data = n
			n.nlink++
		case TypeSymlink:
			n.nlink = 1
		case TypeDir:
			n.nlink = 2
			for _, c := range n.dir.children {
				if c.kind == TypeDir {
					n.nlink++
				}
				walk(c)
			}
		}
	}
	walk(p.root)
	for path, n := range w.byPath {
		if n.kind != TypeLink {
			continue
		}
		t := n
		for hops := 0; t != nil && t.kind == TypeLink && hops < 64; hops++ {
			t = w.byPath[t.target]
		}
		switch {
		case t == nil:
			err = fmt.Errorf("iso: hard link %q: target %q is not in the tree", path, n.target)
		case t.kind != TypeFile:
			err = fmt.Errorf("iso: hard link %q: target %q is a %v, not a regular file", path, n.target, t.kind)
		}
		if err != nil {
			return err
		}
		n.kind = TypeFile
		n.data = t
		n.size = t.size
		t.ino = min(t.ino, n.ino) // the group's number must not depend on which name is the link
		t.nlink++
	}
	// Links share the count and attributes stored with the data.
	var fix func(n *node)
	fix = func(n *node) {
		if n.kind == TypeFile && n.data != n {
			n.nlink, n.ino = n.data.nlink, n.data.ino
			n.mode, n.uid, n.gid, n.mtime = n.data.mode, n.data.uid, n.data.gid, n.data.mtime
		}
		if n.dir != nil {
			for _, c := range n.dir.children {
				fix(c)
			}
		}
	}
	fix(p.root)
	return nil
}

// sortTree sorts every directory's children by name, so nothing depends on
// the order entries were added in.
func (p *plan) sortTree() {
	var walk func(n *node)
	walk = func(n *node) {
		slices.SortFunc(n.dir.children, func(a, b *node) int { return strings.Compare(a.name, b.name) })
		for _, c := range n.dir.children {
			if c.dir != nil {
				walk(c)
			}
		}
	}
	walk(p.root)
}

// buildISOTree builds the ISO 9660 tree, relocating directories deeper
// than ECMA-119 allows (RRIP 4.1.5), and names the entries of both trees.
func (p *plan) buildISOTree() error {
	var moved []*node
	var place func(d *node, level int)
	place = func(d *node, level int) {
		d.dir.isoLevel = level
		for _, c := range d.dir.children {
			if c.kind != TypeDir || level < maxDepth || !p.rr {
				d.dir.isoKids = append(d.dir.isoKids, c)
				if c.kind == TypeDir {
					c.dir.isoParent = d
					place(c, level+1)
				}
				continue
			}
			// A file record with a CL entry stands in for the directory,
			// which moves to rr_moved with an RE entry.
			ph := &node{name: c.name, parent: d, kind: TypeFile, reloc: c, ino: c.ino, nlink: c.nlink,
				mode: c.mode, uid: c.uid, gid: c.gid, mtime: c.mtime}
			d.dir.isoKids = append(d.dir.isoKids, ph)
			c.dir.relocated = true
			c.dir.placeholder = ph
			moved = append(moved, c)
		}
	}
	place(p.root, 1)
	if len(moved) > 0 {
		name := "rr_moved"
		for k := 1; slices.ContainsFunc(p.root.dir.children, func(c *node) bool { return c.name == name }); k++ {
			name = fmt.Sprintf("rr_moved_%d", k)
		}
		p.rrMoved = &node{name: name, parent: p.root, kind: TypeDir, mode: 0o555, nlink: 2,
			dir: &dirInfo{isoParent: p.root, isoLevel: 2}}
		p.root.nlink++
		p.root.dir.isoKids = append(p.root.dir.isoKids, p.rrMoved)
		// Placing a relocated directory may relocate more below it; the
		// loop picks those up, in the (deterministic) order met.
		for i := 0; i < len(moved); i++ {
			c := moved[i]
			c.dir.isoParent = p.rrMoved
			p.rrMoved.dir.isoKids = append(p.rrMoved.dir.isoKids, c)
			p.rrMoved.nlink++
			place(c, 3)
		}
	}
	p.nameISO(p.root)
	if p.rrMoved != nil {
		p.nameISO(p.rrMoved)
	}
	if p.joliet {
		p.nameJoliet(p.root)
	}
	return nil
}

// nameISO gives the ISO 9660 records of directory d unique identifiers and
// sorts them (ECMA-119 9.3), then does the same below.
func (p *plan) nameISO(d *node) {
	kids := d.dir.isoKids
	slices.SortStableFunc(kids, func(a, b *node) int { return strings.Compare(a.name, b.name) })
	used := make(map[string]bool, len(kids))
	for _, c := range kids {
		isDir := c.kind == TypeDir
		id := isoCandidate(c.name, isDir, 0)
		for n := 1; used[id]; n++ {
			id = isoCandidate(c.name, isDir, n)
		}
		used[id] = true
		c.isoName = id
	}
	slices.SortFunc(kids, func(a, b *node) int { return strings.Compare(a.isoName, b.isoName) })
	for _, c := range kids {
		if c.kind == TypeDir && c != p.rrMoved {
			p.nameISO(c)
		}
	}
}

// nameJoliet does for the Joliet tree what nameISO does for ISO 9660.
func (p *plan) nameJoliet(d *node) {
	kids := d.dir.children // sorted by name
	used := make(map[string]bool, len(kids))
	for _, c := range kids {
		id := string(jolietCandidate(c.name, 0))
		for n := 1; used[id]; n++ {
			id = string(jolietCandidate(c.name, n))
		}
		used[id] = true
		c.jolName = id
	}
	d.dir.jolKids = slices.Clone(kids)
	slices.SortFunc(d.dir.jolKids, func(a, b *node) int { return strings.Compare(a.jolName, b.jolName) })
	for _, c := range kids {
		if c.kind == TypeDir {
			p.nameJoliet(c)
		}
	}
}

// timeOf returns the time recorded for n.
func (p *plan) timeOf(n *node) time.Time {
	if !p.opts.ModTime.IsZero() {
		return p.opts.ModTime
	}
	return time.Unix(n.mtime, 0)
}

// extents returns the number of directory records of a regular file: one
// per extent of at most maxExtent bytes (ECMA-119 6.5.1, level 3).
func extents(size int64) int {
	if size <= maxExtent {
		return 1
	}
	return int((size + maxExtent - 1) / maxExtent)
}

// isFileRecord reports whether n's record describes file data.
func (n *node) isFileRecord() bool { return n.kind == TypeFile && n.reloc == nil }

// layout sizes everything and gives every part of the image its sectors.
func (p *plan) layout() error {
	// Path table order (ECMA-119 9.4): breadth first, identifiers sorted.
	p.isoDirs = []*node{p.root}
	for i := 0; i < len(p.isoDirs); i++ {
		for _, c := range p.isoDirs[i].dir.isoKids {
			if c.kind == TypeDir {
				p.isoDirs = append(p.isoDirs, c)
			}
		}
	}
	if p.joliet {
		p.jolDirs = []*node{p.root}
		for i := 0; i < len(p.jolDirs); i++ {
			for _, c := range p.jolDirs[i].dir.jolKids {
				if c.kind == TypeDir {
					p.jolDirs = append(p.jolDirs, c)
				}
			}
		}
	}
	if len(p.isoDirs) > 0xFFFF || len(p.jolDirs) > 0xFFFF {
		return fmt.Errorf("iso: %d directories; a path table can number at most 65535 (ECMA-119 9.4.6)", max(len(p.isoDirs), len(p.jolDirs)))
	}
	p.root.isoName, p.root.jolName = "\x00", "\x00"
	for i, d := range p.isoDirs {
		d.dir.isoNum = i + 1
		p.isoPTSize += ptRecLen(len(d.isoName))
	}
	for i, d := range p.jolDirs {
		d.dir.jolNum = i + 1
		p.jolPTSize += ptRecLen(len(d.jolName))
	}

	// Directory sizes and continuation areas.
	p.ceFirst = make(map[ceKey]int)
	var ceSector, ceOff uint32
	recLen := func(n *node, kind recKind, idLen int) int {
		base := 33 + idLen + (idLen+1)%2
		if !p.rr {
			return base
		}
		ents := p.suEntries(n, kind)
		head, pieces := splitSU(ents, 255-base)
		l := base + suLen(ents[:head])
		if pieces != nil {
			l += ceLen
			key := ceKey{n, kind}
			if _, ok := p.ceFirst[key]; !ok {
				p.ceFirst[key] = len(p.cePieces)
				p.ceOwners = append(p.ceOwners, key)
				at := head
				for k, cnt := range pieces {
					pl := uint32(suLen(ents[at : at+cnt]))
					if k < len(pieces)-1 {
						pl += ceLen
					}
					at += cnt
					if ceOff+pl > sector {
						ceSector++
						ceOff = 0
					}
					p.cePieces = append(p.cePieces, ceLoc{sector: ceSector, off: uint16(ceOff), len: uint16(pl)})
					ceOff += pl
				}
			}
		}
		return l + l%2
	}
	for _, d := range p.isoDirs {
		var s dirSizer
		s.add(recLen(d, recDot, 1))
		s.add(recLen(d, recDotDot, 1))
		for _, c := range d.dir.isoKids {
			l := recLen(c, recSelf, len(c.isoName))
			n := 1
			if c.isFileRecord() {
				n = extents(c.size)
			}
			for range n {
				s.add(l)
			}
		}
		d.dir.isoSize = s.size()
	}
	if len(p.cePieces) > 0 {
		p.ceSectors = ceSector + 1
	}
	for _, d := range p.jolDirs {
		var s dirSizer
		s.add(34)
		s.add(34)
		for _, c := range d.dir.jolKids {
			l := 33 + len(c.jolName) + (len(c.jolName)+1)%2
			n := 1
			if c.kind == TypeFile {
				n = extents(c.size)
			}
			for range n {
				s.add(l)
			}
		}
		d.dir.jolSize = s.size()
	}

	// Sectors.
	lba := uint32(systemSectors + 1) // after the primary volume descriptor
	if p.catalog != nil {
		p.bootRecLBA = lba
		lba++
	}
	if p.joliet {
		p.svdLBA = lba
		lba++
	}
	p.termLBA = lba
	lba++
	ptSectors := (p.isoPTSize + sector - 1) / sector
	p.isoPTL, p.isoPTM = lba, lba+ptSectors
	lba += 2 * ptSectors
	if p.joliet {
		ptSectors = (p.jolPTSize + sector - 1) / sector
		p.jolPTL, p.jolPTM = lba, lba+ptSectors
		lba += 2 * ptSectors
	}
	var total uint64 = uint64(lba)
	if p.catalog != nil {
		p.catalog.extent = lba
		p.catalog.data = p.catalog
		lba++
	}
	for _, d := range p.isoDirs {
		d.dir.isoLBA = lba
		lba += d.dir.isoSize / sector
	}
	// Continuation areas go between the two trees, as xorriso puts them:
	// libarchive, which reads the image as a stream, crashes when they
	// come after the Joliet directories.
	p.ceLBA = lba
	lba += p.ceSectors
	for _, d := range p.jolDirs {
		d.dir.jolLBA = lba
		lba += d.dir.jolSize / sector
	}
	p.dataLBA = lba
	total = uint64(lba)
	place := func(d *node) {
		if d.extent != 0 || d.synth {
			return
		}
		if d.size == 0 {
			d.extent = p.dataLBA
			return
		}
		d.extent = uint32(total)
		p.files = append(p.files, d)
		total += uint64((d.size + sector - 1) / sector)
	}
	if p.bios != nil {
		place(p.bios)
	}
	if p.efi != nil {
		place(p.efi)
	}
	for _, d := range p.isoDirs {
		for _, c := range d.dir.isoKids {
			if c.isFileRecord() {
				place(c.data)
			}
			if total > 0xFFFFFFFF-1024 {
				return fmt.Errorf("iso: the image would be larger than ECMA-119's 2^32 sectors")
			}
		}
	}
	if total == uint64(p.dataLBA) {
		// Records without data (empty files, symlinks) point at dataLBA,
		// which must lie inside the volume: libarchive fails otherwise.
		total++
	}
	if p.hybrid {
		// Whole MiB, as isohybrid's 64 heads x 32 sectors cylinders, with
		// room for the backup GPT (see hybrid.go).
		s512 := total*4 + gptSectors + 1
		s512 = (s512 + 2047) / 2048 * 2048
		total = s512 / 4
	}
	p.volSectors = uint32(total)
	p.total = int64(total) * sector

	// Volume dates.
	if !p.opts.ModTime.IsZero() {
		p.volTime = p.opts.ModTime
	} else {
		p.volTime = time.Unix(0, 0)
		var walk func(n *node)
		walk = func(n *node) {
			if t := time.Unix(n.mtime, 0); t.After(p.volTime) {
				p.volTime = t
			}
			if n.dir != nil {
				for _, c := range n.dir.children {
					walk(c)
				}
			}
		}
		walk(p.root)
	}
	return nil
}

// ptRecLen is the length of a path table record (ECMA-119 9.4).
func ptRecLen(idLen int) uint32 { return uint32(8 + idLen + idLen%2) }

// dirSizer adds up directory records, which may not cross a sector
// boundary (ECMA-119 6.8.1.1).
type dirSizer struct{ off uint32 }

func (s *dirSizer) add(l int) {
	if s.off%sector+uint32(l) > sector {
		s.off = (s.off + sector - 1) / sector * sector
	}
	s.off += uint32(l)
}

func (s *dirSizer) size() uint32 { return (s.off + sector - 1) / sector * sector }

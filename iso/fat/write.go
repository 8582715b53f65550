package fat

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf16"
)

// Directory entry attributes (FAT spec "FAT Directory Structure", DIR_Attr).
const (
	attrVolumeID  = 0x08
	attrDirectory = 0x10
	attrArchive   = 0x20
	attrLongName  = 0x0F // READ_ONLY|HIDDEN|SYSTEM|VOLUME_ID
	lastLongEntry = 0x40 // LDIR_Ord flag of the last (first stored) long entry
)

// rootSectors is the size of the fixed root directory in sectors.
func (im *Image) rootSectors() uint32 { return im.rootEntries * dirEntrySize / sectorSize }

// chooseGeometry picks the cluster size, FAT type and total size. With a
// fixed size it takes the smallest cluster that holds the entries; with
// size 0 it grows the image in 32 KiB steps from a lower bound until some
// cluster size holds them.
func (im *Image) chooseGeometry(size int64) error {
	if size != 0 {
		if size/sectorSize < 32 {
			return fmt.Errorf("%w: %d bytes is too small for any FAT volume", ErrTooLarge, size)
		}
		if im.tryTotal(uint32(size / sectorSize)) {
			return nil
		}
		return fmt.Errorf("%w: in %d bytes (%d KiB of file and directory clusters at the least); leave Size 0 to fit them", ErrTooLarge, size, im.neededClusters(1)/2)
	}
	need := uint64(im.neededClusters(1))
	lower := uint64(reservedSecs+im.rootSectors()) + need + 2*((need+2)*3/2+sectorSize-1)/sectorSize
	tot := (lower + alignSectors - 1) / alignSectors * alignSectors
	for ; tot <= maxImageSize/sectorSize; tot += alignSectors {
		if im.tryTotal(uint32(tot)) {
			return nil
		}
	}
	return fmt.Errorf("%w: the entries need more than a FAT16 volume of %d MiB holds", ErrTooLarge, maxImageSize>>20)
}

// neededClusters counts the data clusters the entries take with clusters
// of spc sectors.
func (im *Image) neededClusters(spc uint32) uint32 {
	cs := int64(spc) * sectorSize
	var total int64
	var walk func(n *node)
	walk = func(n *node) {
		for _, c := range n.children {
			if c.dir {
				total += (int64(dirEntriesOf(c))*dirEntrySize + cs - 1) / cs
				walk(c)
			} else {
				total += (c.size + cs - 1) / cs
			}
		}
	}
	walk(im.root)
	if total > 1<<31 {
		return 1 << 31
	}
	return uint32(total)
}

// tryTotal sets a geometry for tot sectors if one holds the entries:
// the smallest cluster size whose cluster count agrees with the FAT type
// (FAT spec "FAT Type Determination") and covers what the entries need.
func (im *Image) tryTotal(tot uint32) bool {
	for spc := uint32(1); spc <= maxSecPerClus; spc *= 2 {
		need := im.neededClusters(spc)
		for _, bits := range []int{12, 16} {
			clusters, fatSecs, ok := im.solve(tot, spc, bits)
			if !ok || clusters < need {
				continue
			}
			im.totSec, im.secPerClus, im.fatBits = tot, spc, bits
			im.clusters, im.fatSecs = clusters, fatSecs
			return true
		}
	}
	return false
}

// solve finds the FAT size for tot sectors and clusters of spc sectors: the
// FAT must have an entry for every cluster plus the two reserved ones, and
// the clusters are what is left after the FATs. It reports whether the
// cluster count gives the FAT type bits.
func (im *Image) solve(tot, spc uint32, bits int) (clusters, fatSecs uint32, ok bool) {
	fixed := int64(reservedSecs + im.rootSectors())
	fatSecs = 1
	for {
		data := int64(tot) - fixed - numFATs*int64(fatSecs)
		if data < int64(spc) {
			return 0, 0, false
		}
		clusters = uint32(data / int64(spc))
		need := ((uint64(clusters)+2)*uint64(bits) + 7) / 8
		needSecs := uint32((need + sectorSize - 1) / sectorSize)
		if needSecs <= fatSecs {
			break
		}
		fatSecs = needSecs
	}
	// Growing the FAT can overshoot by a sector; take the smallest that
	// still covers its clusters.
	for fatSecs > 1 {
		f := fatSecs - 1
		data := int64(tot) - fixed - numFATs*int64(f)
		c := uint32(data / int64(spc))
		if ((uint64(c)+2)*uint64(bits)+7)/8 > uint64(f)*sectorSize {
			break
		}
		fatSecs, clusters = f, c
	}
	switch bits {
	case 12:
		ok = clusters <= maxFAT12
	case 16:
		ok = clusters > maxFAT12 && clusters <= maxFAT16
	}
	return clusters, fatSecs, ok
}

// allocate gives clusters to directories and files, contiguously, in
// depth-first order with siblings in name order.
func (im *Image) allocate() {
	cs := int64(im.ClusterSize())
	next := uint32(2) // the first data cluster
	var walk func(n *node)
	walk = func(n *node) {
		for _, c := range n.children {
			var bytes int64
			if c.dir {
				bytes = int64(dirEntriesOf(c)) * dirEntrySize
			} else {
				bytes = c.size
			}
			c.clusters = uint32((bytes + cs - 1) / cs)
			if c.clusters > 0 {
				c.cluster = next
				next += c.clusters
				im.order = append(im.order, c)
			}
			if c.dir {
				walk(c)
			}
		}
	}
	walk(im.root)
	im.used = next - 2
}

// WriteTo writes the image to w in one pass, front to back, and returns the
// number of bytes written, which is Size() on success. Each file is opened
// when its clusters are reached and closed before the next; content longer
// or shorter than the planned size gives an error wrapping [ErrSizeChanged]
// and naming the file. On error, the bytes written so far are a prefix of a
// broken image; the caller should discard them.
func (im *Image) WriteTo(w io.Writer) (int64, error) {
	return im.WriteContext(context.Background(), w)
}

// WriteContext is WriteTo with a context: when ctx is done, writing stops
// between two chunks of at most 64 KiB and ctx's error is returned
// (wrapped).
func (im *Image) WriteContext(ctx context.Context, w io.Writer) (int64, error) {
	cw := &countWriter{w: w, ctx: ctx}
	bw := bufio.NewWriterSize(cw, 64<<10)
	err := im.write(bw)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return cw.n, err
}

// Open returns the image as a stream, written by a goroutine as it is read
// (through [io.Pipe]); an error of WriteTo is returned by Read. It suits
// an opener of an ISO entry. Close the reader to stop early.
func (im *Image) Open() (io.ReadCloser, error) {
	pr, pw := io.Pipe()
	go func() {
		_, err := im.WriteTo(pw)
		pw.CloseWithError(err)
	}()
	return pr, nil
}

// countWriter counts what reaches w and stops when ctx is done.
type countWriter struct {
	w   io.Writer
	n   int64
	ctx context.Context
}

func (c *countWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, fmt.Errorf("fat: writing stopped: %w", err)
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (im *Image) write(w *bufio.Writer) error {
	// 1. Boot sector with the BIOS Parameter Block (reserved region).
	if _, err := w.Write(im.bootSector()); err != nil {
		return err
	}
	// 2. Both copies of the FAT.
	table := im.table()
	for range numFATs {
		if _, err := w.Write(table); err != nil {
			return err
		}
	}
	// 3. The fixed root directory.
	rootDir := im.dirBytes(im.root)
	if _, err := w.Write(rootDir); err != nil {
		return err
	}
	if err := zeros(w, int64(im.rootSectors())*sectorSize-int64(len(rootDir))); err != nil {
		return err
	}
	// 4. Data clusters, in allocation order.
	cs := int64(im.ClusterSize())
	for _, n := range im.order {
		var written int64
		if n.dir {
			b := im.dirBytes(n)
			if _, err := w.Write(b); err != nil {
				return err
			}
			written = int64(len(b))
		} else {
			if err := copyFile(w, n); err != nil {
				return err
			}
			written = n.size
		}
		if err := zeros(w, int64(n.clusters)*cs-written); err != nil {
			return err
		}
	}
	// 5. Free clusters, and the sectors past the last whole cluster.
	dataStart := int64(reservedSecs + numFATs*im.fatSecs + im.rootSectors())
	rest := (int64(im.totSec)-dataStart)*sectorSize - int64(im.used)*cs
	return zeros(w, rest)
}

// copyFile streams one file's content, exactly its planned size.
func copyFile(w io.Writer, n *node) error {
	if n.size == 0 && n.open == nil {
		return nil
	}
	r, err := n.open()
	if err != nil {
		return fmt.Errorf("fat: %s: %w", n.path, err)
	}
	got, err := io.CopyN(w, r, n.size)
	if err == io.EOF {
		r.Close()
		return fmt.Errorf("fat: %s: %w: planned %d bytes, read %d", n.path, ErrSizeChanged, n.size, got)
	}
	if err != nil {
		r.Close()
		return fmt.Errorf("fat: %s: %w", n.path, err)
	}
	var one [1]byte
	if m, _ := io.ReadFull(r, one[:]); m > 0 {
		r.Close()
		return fmt.Errorf("fat: %s: %w: planned %d bytes, the source has more", n.path, ErrSizeChanged, n.size)
	}
	if err := r.Close(); err != nil {
		return fmt.Errorf("fat: %s: %w", n.path, err)
	}
	return nil
}

func zeros(w io.Writer, n int64) error {
	if n < 0 {
		return errors.New("fat: internal error: negative padding")
	}
	var buf [8192]byte
	for n > 0 {
		k := min(n, int64(len(buf)))
		if _, err := w.Write(buf[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// bootSector returns sector 0 (FAT spec "Boot Sector and BPB Structure").
func (im *Image) bootSector() []byte {
	b := make([]byte, sectorSize)
	le := binary.LittleEndian
	copy(b[0:], []byte{0xEB, 0x3C, 0x90}) // BS_jmpBoot: jump to the code at 0x3E
	copy(b[3:], "MSWIN4.1")               // BS_OEMName: the spec's most compatible value
	le.PutUint16(b[11:], sectorSize)      // BPB_BytsPerSec
	b[13] = byte(im.secPerClus)           // BPB_SecPerClus
	le.PutUint16(b[14:], reservedSecs)    // BPB_RsvdSecCnt
	b[16] = numFATs                       // BPB_NumFATs
	le.PutUint16(b[17:], uint16(im.rootEntries))
	if im.totSec < 0x10000 {
		le.PutUint16(b[19:], uint16(im.totSec)) // BPB_TotSec16
	} else {
		le.PutUint32(b[32:], im.totSec) // BPB_TotSec32
	}
	b[21] = mediaFixed                       // BPB_Media
	le.PutUint16(b[22:], uint16(im.fatSecs)) // BPB_FATSz16
	le.PutUint16(b[24:], 32)                 // BPB_SecPerTrk: no real geometry
	le.PutUint16(b[26:], 64)                 // BPB_NumHeads
	b[36] = 0x80                             // BS_DrvNum: hard disk
	b[38] = 0x29                             // BS_BootSig: the next three fields exist
	le.PutUint32(b[39:], im.serial)          // BS_VolID
	copy(b[43:], im.label[:])                // BS_VolLab
	if im.fatBits == 12 {                    // BS_FilSysType: informative only
		copy(b[54:], "FAT12   ")
	} else {
		copy(b[54:], "FAT16   ")
	}
	// Not a bootable volume: INT 18h asks the BIOS for the next boot device,
	// then halt in a loop.
	copy(b[0x3E:], []byte{0xCD, 0x18, 0xF4, 0xEB, 0xFD})
	b[510], b[511] = 0x55, 0xAA
	return b
}

// table returns one copy of the FAT (FAT spec "FAT Data Structure").
func (im *Image) table() []byte {
	t := make([]byte, int(im.fatSecs)*sectorSize)
	set := func(n, v uint32) {
		if im.fatBits == 16 {
			binary.LittleEndian.PutUint16(t[2*n:], uint16(v))
			return
		}
		off := n * 3 / 2
		if n%2 == 0 {
			t[off] = byte(v)
			t[off+1] = t[off+1]&0xF0 | byte(v>>8)&0x0F
		} else {
			t[off] = t[off]&0x0F | byte(v<<4)
			t[off+1] = byte(v >> 4)
		}
	}
	eoc := uint32(0xFFF)
	if im.fatBits == 16 {
		eoc = 0xFFFF
	}
	set(0, eoc&^0xFF|mediaFixed) // FAT[0]: the media byte, other bits set
	set(1, eoc)                  // FAT[1]: end of chain; FAT16 clean-shutdown bits set
	for _, n := range im.order {
		for i := range n.clusters - 1 {
			set(n.cluster+i, n.cluster+i+1)
		}
		set(n.cluster+n.clusters-1, eoc)
	}
	return t
}

// dirBytes returns the entries of a directory: "." and ".." (or the volume
// label in the root), then each child's long name entries and short entry.
func (im *Image) dirBytes(d *node) []byte {
	var out []byte
	if d.parent == nil {
		if im.hasLabel {
			out = append(out, shortEntry(im.label, attrVolumeID, 0, 0, im.mtime)...)
		}
	} else {
		up := d.parent.cluster // 0 for the root (FAT spec: ".." of a root child)
		out = append(out, shortEntry([11]byte{'.', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '}, attrDirectory, d.cluster, 0, d.mtime)...)
		out = append(out, shortEntry([11]byte{'.', '.', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '}, attrDirectory, up, 0, d.parent.mtime)...)
	}
	for _, c := range d.children {
		if c.long {
			out = append(out, longEntries(c.name, c.short)...)
		}
		attr, size := byte(attrArchive), uint32(c.size)
		if c.dir {
			attr, size = attrDirectory, 0
		}
		out = append(out, shortEntry(c.short, attr, c.cluster, size, c.mtime)...)
	}
	return out
}

// shortEntry encodes one 32-byte directory entry.
func shortEntry(name [11]byte, attr byte, cluster, size uint32, t time.Time) []byte {
	e := make([]byte, dirEntrySize)
	le := binary.LittleEndian
	copy(e[0:11], name[:]) // DIR_Name
	e[11] = attr           // DIR_Attr
	d, tm, tenth := stamp(t)
	if attr&attrVolumeID == 0 {
		e[13] = tenth            // DIR_CrtTimeTenth
		le.PutUint16(e[14:], tm) // DIR_CrtTime
		le.PutUint16(e[16:], d)  // DIR_CrtDate
		le.PutUint16(e[18:], d)  // DIR_LstAccDate
	}
	le.PutUint16(e[20:], uint16(cluster>>16)) // DIR_FstClusHI: 0 on FAT12/16
	le.PutUint16(e[22:], tm)                  // DIR_WrtTime
	le.PutUint16(e[24:], d)                   // DIR_WrtDate
	le.PutUint16(e[26:], uint16(cluster))     // DIR_FstClusLO
	le.PutUint32(e[28:], size)                // DIR_FileSize
	return e
}

// stamp encodes a time as FAT date, time (two-second steps) and the
// creation time's hundredths (0 or 100), clamped to 1980-2107.
func stamp(t time.Time) (date, clock uint16, tenth byte) {
	t = t.UTC()
	if t.Before(fatEpoch) {
		t = fatEpoch
	}
	if last := time.Date(2107, 12, 31, 23, 59, 59, 0, time.UTC); t.After(last) {
		t = last
	}
	date = uint16(t.Year()-1980)<<9 | uint16(t.Month())<<5 | uint16(t.Day())
	clock = uint16(t.Hour())<<11 | uint16(t.Minute())<<5 | uint16(t.Second()/2)
	tenth = byte(t.Second()%2) * 100
	return date, clock, tenth
}

// longEntries encodes the VFAT long name entries of name, in the order they
// are stored: the last part first (FAT spec "FAT Long Directory Entries").
func longEntries(name string, short [11]byte) []byte {
	u := utf16.Encode([]rune(name))
	count := (len(u) + 12) / 13
	padded := make([]uint16, count*13)
	copy(padded, u)
	for i := len(u); i < len(padded); i++ {
		if i == len(u) {
			padded[i] = 0x0000 // terminator, when the name does not fill the entry
		} else {
			padded[i] = 0xFFFF
		}
	}
	sum := checksum(short)
	out := make([]byte, 0, count*dirEntrySize)
	for k := count; k >= 1; k-- {
		e := make([]byte, dirEntrySize)
		e[0] = byte(k) // LDIR_Ord
		if k == count {
			e[0] |= lastLongEntry
		}
		part := padded[(k-1)*13 : k*13]
		for i, c := range part {
			var off int
			switch {
			case i < 5:
				off = 1 + 2*i // LDIR_Name1
			case i < 11:
				off = 14 + 2*(i-5) // LDIR_Name2
			default:
				off = 28 + 2*(i-11) // LDIR_Name3
			}
			binary.LittleEndian.PutUint16(e[off:], c)
		}
		e[11] = attrLongName // LDIR_Attr
		e[13] = sum          // LDIR_Chksum; LDIR_Type and LDIR_FstClusLO stay 0
		out = append(out, e...)
	}
	return out
}

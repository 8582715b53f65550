package iso

import (
	"encoding/binary"
	"io/fs"
	"strings"
	"time"
)

// Rock Ridge identification in the ER entry (RRIP 1.12 5.3; the 1991A
// identifier is the one Linux, libisofs and kdomanski/iso9660 look for).
const (
	rrID     = "RRIP_1991A"
	rrDesc   = "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS"
	rrSource = "PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION."
)

const (
	ceLen      = 28  // SUSP 5.1: CE entry
	maxSUEntry = 255 // SUSP 4.1: one entry's length fits a byte
	nmChunk    = maxSUEntry - 5
	slChunk    = maxSUEntry - 5
)

// POSIX file type bits for PX (RRIP 4.1.1).
const (
	sIFDIR = 0o040000
	sIFREG = 0o100000
	sIFLNK = 0o120000
)

// putBoth32 writes v both-byte orders (ECMA-119 7.3.3) into b[0:8].
func putBoth32(b []byte, v uint32) {
	binary.LittleEndian.PutUint32(b, v)
	binary.BigEndian.PutUint32(b[4:], v)
}

// putBoth16 writes v both-byte orders (ECMA-119 7.2.3) into b[0:4].
func putBoth16(b []byte, v uint16) {
	binary.LittleEndian.PutUint16(b, v)
	binary.BigEndian.PutUint16(b[2:], v)
}

func suEntry(sig string, n int) []byte {
	e := make([]byte, n)
	e[0], e[1], e[2], e[3] = sig[0], sig[1], byte(n), 1
	return e
}

// posixMode returns n's st_mode.
func posixMode(n *node) uint32 {
	m := uint32(n.mode.Perm())
	if n.mode&fs.ModeSetuid != 0 {
		m |= 0o4000
	}
	if n.mode&fs.ModeSetgid != 0 {
		m |= 0o2000
	}
	if n.mode&fs.ModeSticky != 0 {
		m |= 0o1000
	}
	switch {
	case n.kind == TypeDir || n.reloc != nil:
		m |= sIFDIR
	case n.kind == TypeSymlink:
		m |= sIFLNK
	default:
		m |= sIFREG
	}
	return m
}

// suEntries returns the SUSP entries of one directory record: for recSelf
// n's record in its ISO parent, for recDot and recDotDot the "." and ".."
// records of directory n.
func (p *plan) suEntries(n *node, kind recKind) [][]byte {
	var ents [][]byte
	attr := n
	if kind == recDotDot {
		attr = n.dir.isoParent
		if attr == nil {
			attr = n // the root's ".." is the root
		}
	}
	if kind == recDot && n == p.root {
		ents = append(ents, []byte{'S', 'P', 7, 1, 0xBE, 0xEF, 0}) // SUSP 5.3
	}
	if kind == recSelf && n.dir != nil && n.dir.relocated {
		ents = append(ents, suEntry("RE", 4)) // RRIP 4.1.5.3
	}
	// PX (RRIP 4.1.1), with the file serial number of RRIP 1.12.
	px := suEntry("PX", 44)
	putBoth32(px[4:], posixMode(attr))
	putBoth32(px[12:], attr.nlink)
	putBoth32(px[20:], attr.uid)
	putBoth32(px[28:], attr.gid)
	putBoth32(px[36:], attr.ino)
	ents = append(ents, px)
	// TF (RRIP 4.1.6): modify, access, attributes, 7-byte form.
	tf := suEntry("TF", 5+3*7)
	tf[4] = 0x0E
	t := p.timeOf(attr)
	for i := range 3 {
		putDirDate(tf[5+7*i:], t)
	}
	ents = append(ents, tf)
	if kind == recSelf {
		// NM (RRIP 4.1.4), split into pieces with the CONTINUE flag.
		name := n.name
		for {
			c := min(len(name), nmChunk)
			nm := suEntry("NM", 5+c)
			copy(nm[5:], name[:c])
			name = name[c:]
			if len(name) > 0 {
				nm[4] = 1
			}
			ents = append(ents, nm)
			if len(name) == 0 {
				break
			}
		}
		if n.kind == TypeSymlink {
			ents = append(ents, slEntries(n.target)...)
		}
		if n.reloc != nil {
			cl := suEntry("CL", 12) // RRIP 4.1.5.1
			putBoth32(cl[4:], n.reloc.dir.isoLBA)
			ents = append(ents, cl)
		}
	}
	if kind == recDotDot && n.dir.relocated {
		pl := suEntry("PL", 12) // RRIP 4.1.5.2
		putBoth32(pl[4:], n.parent.dir.isoLBA)
		ents = append(ents, pl)
	}
	if kind == recDot && n == p.root {
		er := suEntry("ER", 8+len(rrID)+len(rrDesc)+len(rrSource)) // SUSP 5.5
		er[4], er[5], er[6], er[7] = byte(len(rrID)), byte(len(rrDesc)), byte(len(rrSource)), 1
		copy(er[8:], rrID+rrDesc+rrSource)
		ents = append(ents, er)
	}
	return ents
}

// slEntries encodes a symbolic link's target as SL entries (RRIP 4.1.3).
func slEntries(target string) [][]byte {
	// Component records: flags, length, content. Long components are
	// split with the CONTINUE flag.
	var comps [][]byte
	if strings.HasPrefix(target, "/") {
		comps = append(comps, []byte{0x08, 0})
	}
	for _, c := range strings.Split(target, "/") {
		switch c {
		case "":
			continue
		case ".":
			comps = append(comps, []byte{0x02, 0})
			continue
		case "..":
			comps = append(comps, []byte{0x04, 0})
			continue
		}
		for len(c) > 0 {
			k := min(len(c), slChunk-2)
			rec := append([]byte{0, byte(k)}, c[:k]...)
			c = c[k:]
			if len(c) > 0 {
				rec[0] = 0x01
			}
			comps = append(comps, rec)
		}
	}
	if len(comps) == 0 { // "//" and the like: the root
		comps = append(comps, []byte{0x08, 0})
	}
	var ents [][]byte
	var cur []byte
	flush := func(more bool) {
		sl := suEntry("SL", 5+len(cur))
		if more {
			sl[4] = 1
		}
		copy(sl[5:], cur)
		ents = append(ents, sl)
		cur = cur[:0]
	}
	for _, rec := range comps {
		if len(cur)+len(rec) > slChunk {
			flush(true)
		}
		cur = append(cur, rec...)
	}
	flush(false)
	return ents
}

func suLen(ents [][]byte) int {
	n := 0
	for _, e := range ents {
		n += len(e)
	}
	return n
}

// splitSU packs SUSP entries into a directory record with room bytes for
// them and, when they do not fit, continuation area pieces of at most one
// sector each (SUSP 5.1), keeping their order. It returns the number of
// entries in the record and the number in each piece; pieces is nil when
// all fit.
func splitSU(ents [][]byte, room int) (head int, pieces []int) {
	if suLen(ents) <= room {
		return len(ents), nil
	}
	used := 0
	for head < len(ents) && used+len(ents[head]) <= room-ceLen {
		used += len(ents[head])
		head++
	}
	for at := head; at < len(ents); {
		if suLen(ents[at:]) <= sector {
			pieces = append(pieces, len(ents)-at)
			break
		}
		used, k := 0, 0
		for at+k < len(ents) && used+len(ents[at+k]) <= sector-ceLen {
			used += len(ents[at+k])
			k++
		}
		pieces = append(pieces, k)
		at += k
	}
	return head, pieces
}

// putDirDate writes t as a 7-byte directory record date (ECMA-119 9.1.5),
// in UTC, clamped to the years 1900-2155 it can hold.
func putDirDate(b []byte, t time.Time) {
	t = t.UTC()
	y := t.Year()
	switch {
	case y < 1900:
		b[0], b[1], b[2], b[3], b[4], b[5] = 0, 1, 1, 0, 0, 0
	case y > 2155:
		b[0], b[1], b[2], b[3], b[4], b[5] = 255, 12, 31, 23, 59, 59
	default:
		b[0], b[1], b[2] = byte(y-1900), byte(t.Month()), byte(t.Day())
		b[3], b[4], b[5] = byte(t.Hour()), byte(t.Minute()), byte(t.Second())
	}
	b[6] = 0
}

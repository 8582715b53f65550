package iso

import (
	"encoding/binary"
	"fmt"
	"time"
)

// volumeDescriptor returns the primary volume descriptor (ECMA-119 8.4)
// or, for joliet, the Joliet supplementary volume descriptor (ECMA-119 8.5
// with the UCS-2 level 3 escape sequence).
func (p *plan) volumeDescriptor(joliet bool) []byte {
	b := make([]byte, sector)
	b[0] = 1
	if joliet {
		b[0] = 2
	}
	copy(b[1:], "CD001")
	b[6] = 1
	volID := p.opts.VolumeID
	if volID == "" {
		volID = "ISOIMAGE"
	}
	text := func(off, n int, s string) {
		if joliet {
			fillUCS2(b[off:off+n], s)
		} else {
			fillA(b[off:off+n], s)
		}
	}
	text(8, 32, "")     // 8.4.5 system identifier
	text(40, 32, volID) // 8.4.6 volume identifier
	putBoth32(b[80:], p.volSectors)
	if joliet {
		copy(b[88:], "%/E") // Joliet: UCS-2 level 3
	}
	putBoth16(b[120:], 1)      // 8.4.8 volume set size
	putBoth16(b[124:], 1)      // 8.4.9 volume sequence number
	putBoth16(b[128:], sector) // 8.4.12 logical block size
	ptSize, ptL, ptM := p.isoPTSize, p.isoPTL, p.isoPTM
	root := p.root.dir.isoLBA
	rootSize := p.root.dir.isoSize
	if joliet {
		ptSize, ptL, ptM = p.jolPTSize, p.jolPTL, p.jolPTM
		root, rootSize = p.root.dir.jolLBA, p.root.dir.jolSize
	}
	putBoth32(b[132:], ptSize)                  // 8.4.14
	binary.LittleEndian.PutUint32(b[140:], ptL) // 8.4.15
	binary.BigEndian.PutUint32(b[148:], ptM)    // 8.4.17
	// 8.4.18: root directory record, without system use.
	record(b[156:190], "\x00", root, rootSize, 2, p.timeOf(p.root), nil)
	text(190, 128, "")                 // 8.4.19 volume set identifier
	text(318, 128, p.opts.Publisher)   // 8.4.20
	text(446, 128, "")                 // 8.4.21 data preparer
	text(574, 128, p.opts.Application) // 8.4.22
	text(702, 37, "")                  // 8.4.23-25 copyright, abstract, bibliographic files
	text(739, 37, "")
	text(776, 37, "")
	putVolDate(b[813:], p.volTime)   // 8.4.26 creation
	putVolDate(b[830:], p.volTime)   // 8.4.27 modification
	putVolDate(b[847:], time.Time{}) // 8.4.28 expiration: none
	putVolDate(b[864:], p.volTime)   // 8.4.29 effective
	b[881] = 1                       // 8.4.30 file structure version
	return b
}

// fillA fills a text field with s padded with spaces (ECMA-119 7.4.3).
func fillA(b []byte, s string) {
	for i := range b {
		b[i] = ' '
	}
	copy(b, s)
}

// fillUCS2 fills a Joliet text field with s in UCS-2, padded with UCS-2
// spaces; an odd last byte stays zero.
func fillUCS2(b []byte, s string) {
	u := jolietString(s)
	for i := 0; i+1 < len(b); i += 2 {
		b[i], b[i+1] = 0, ' '
	}
	if len(u) > len(b)&^1 {
		u = u[:len(b)&^1]
	}
	copy(b, u)
	if len(b)%2 == 1 {
		b[len(b)-1] = 0
	}
}

// putVolDate writes a 17-byte volume descriptor date (ECMA-119 8.4.26.1);
// the zero time is "not specified".
func putVolDate(b []byte, t time.Time) {
	if t.IsZero() {
		copy(b, "0000000000000000")
		b[16] = 0
		return
	}
	t = t.UTC()
	y := min(max(t.Year(), 1), 9999)
	copy(b, fmt.Sprintf("%04d%02d%02d%02d%02d%02d%02d", y, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1e7))
	b[16] = 0
}

// pathTable returns a path table (ECMA-119 9.4), padded to whole sectors:
// type L (little endian) or M (big endian), of the ISO 9660 or Joliet tree.
func (p *plan) pathTable(joliet, msb bool) []byte {
	dirs, size := p.isoDirs, p.isoPTSize
	if joliet {
		dirs, size = p.jolDirs, p.jolPTSize
	}
	b := make([]byte, (size+sector-1)/sector*sector)
	o := 0
	for _, d := range dirs {
		id, lba, parent := d.isoName, d.dir.isoLBA, 1
		if joliet {
			id, lba = d.jolName, d.dir.jolLBA
			if d.parent != nil {
				parent = d.parent.dir.jolNum
			}
		} else if d.dir.isoParent != nil {
			parent = d.dir.isoParent.dir.isoNum
		}
		b[o] = byte(len(id))
		if msb {
			binary.BigEndian.PutUint32(b[o+2:], lba)
			binary.BigEndian.PutUint16(b[o+6:], uint16(parent))
		} else {
			binary.LittleEndian.PutUint32(b[o+2:], lba)
			binary.LittleEndian.PutUint16(b[o+6:], uint16(parent))
		}
		copy(b[o+8:], id)
		o += int(ptRecLen(len(id)))
	}
	return b
}

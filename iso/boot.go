package iso

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"unicode/utf16"
)

// bootRecord returns the El Torito boot record volume descriptor (El Torito
// 1.0, section 2.0).
func (p *plan) bootRecord() []byte {
	b := make([]byte, sector)
	b[0] = 0
	copy(b[1:], "CD001")
	b[6] = 1
	copy(b[7:], "EL TORITO SPECIFICATION")
	binary.LittleEndian.PutUint32(b[0x47:], p.catalog.extent)
	return b
}

// bootCatalog returns the boot catalog sector (El Torito 1.0, section 2).
func (p *plan) bootCatalog() []byte {
	b := make([]byte, sector)
	first, firstPlatform := p.bios, byte(0) // 0: 80x86
	if first == nil {
		first, firstPlatform = p.efi, 0xEF
	}
	// Validation entry (2.1).
	b[0] = 1
	b[1] = firstPlatform
	b[30], b[31] = 0x55, 0xAA
	var sum uint16
	for i := 0; i < 32; i += 2 {
		sum += binary.LittleEndian.Uint16(b[i:])
	}
	binary.LittleEndian.PutUint16(b[28:], -sum)
	// Initial/default entry (2.2): no emulation.
	p.bootEntry(b[32:64], first)
	if p.bios != nil && p.efi != nil {
		// Final section header (2.3) for UEFI, then its entry (2.4).
		b[64] = 0x91
		b[65] = 0xEF
		binary.LittleEndian.PutUint16(b[66:], 1)
		p.bootEntry(b[96:128], p.efi)
	}
	return b
}

func (p *plan) bootEntry(b []byte, n *node) {
	b[0] = 0x88 // bootable
	b[1] = 0    // no emulation
	var count uint16
	if n == p.bios {
		count = p.opts.Boot.BIOSLoadSize
		if count == 0 {
			count = 4
		}
	} else if s := (n.size + 511) / 512; s <= 0xFFFF {
		// UEFI firmware reads the FAT image's size from here; one too large
		// for 16 bits is given as 0, which firmware takes as "up to the end".
		count = uint16(s)
	}
	binary.LittleEndian.PutUint16(b[6:], count)
	binary.LittleEndian.PutUint32(b[8:], n.extent)
}

// patchBootInfo writes the boot information table into the BIOS image's
// data (mkisofs -boot-info-table): the primary volume descriptor's sector,
// the image's own sector and length, and the 32-bit sum of the image from
// byte 64 on.
func (p *plan) patchBootInfo(data []byte) {
	var sum uint32
	for i := 64; i < len(data); i += 4 {
		var w [4]byte
		copy(w[:], data[i:])
		sum += binary.LittleEndian.Uint32(w[:])
	}
	binary.LittleEndian.PutUint32(data[8:], systemSectors)
	binary.LittleEndian.PutUint32(data[12:], p.bios.extent)
	binary.LittleEndian.PutUint32(data[16:], uint32(len(data)))
	binary.LittleEndian.PutUint32(data[20:], sum)
	clear(data[24:64])
}

// GPT layout: 128 entries of 128 bytes, 32 sectors of 512 bytes (UEFI 2.10,
// 5.3).
const (
	gptEntries   = 128
	gptEntrySize = 128
	gptSectors   = gptEntries * gptEntrySize / 512
)

// GPT partition type GUIDs, in their on-disk byte order.
var (
	gptBasicData = [16]byte{0xa2, 0xa0, 0xd0, 0xeb, 0xe5, 0xb9, 0x33, 0x44, 0x87, 0xc0, 0x68, 0xb6, 0xb7, 0x26, 0x99, 0xc7}
	gptESP       = [16]byte{0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b}
)

// sectors512 is the image size in 512-byte sectors.
func (p *plan) sectors512() uint64 { return uint64(p.volSectors) * 4 }

// guid derives a version-4-shaped GUID from the image's identity, so the
// same image gets the same GUIDs.
func (p *plan) guid(i int) [16]byte {
	h := sha256.Sum256(fmt.Appendf(nil, "strata iso\x00%s\x00%d\x00%d\x00%d", p.opts.VolumeID, p.volTime.Unix(), p.volSectors, i))
	var g [16]byte
	copy(g[:], h[:])
	g[7] = g[7]&0x0f | 0x40
	g[8] = g[8]&0x3f | 0x80
	return g
}

// chs encodes a 512-byte sector number as cylinder/head/sector for 64 heads
// and 32 sectors per track (the isohybrid geometry).
func chs(lba uint64) [3]byte {
	c, h, s := lba/(64*32), (lba/32)%64, lba%32+1
	if c > 1023 {
		return [3]byte{0xfe, 0xff, 0xff}
	}
	return [3]byte{byte(h), byte(s) | byte(c>>8)<<6, byte(c)}
}

func putMBRPart(b []byte, boot, typ byte, start, count uint64) {
	b[0] = boot
	s, e := chs(start), chs(start+count-1)
	copy(b[1:4], s[:])
	b[4] = typ
	copy(b[5:8], e[:])
	binary.LittleEndian.PutUint32(b[8:], uint32(start))
	binary.LittleEndian.PutUint32(b[12:], uint32(min(count, 0xFFFFFFFF)))
}

// efiRange returns the EFI image's first 512-byte sector and count.
func (p *plan) efiRange() (uint64, uint64) {
	return uint64(p.efi.extent) * 4, uint64(p.efi.size+511) / 512
}

// mbr returns the hybrid MBR: the template's boot code patched as
// isohybrid does (the BIOS image's 512-byte sector at 432), a disk
// signature, and the partition table.
func (p *plan) mbr() []byte {
	b := make([]byte, 512)
	copy(b, p.opts.Boot.HybridMBR[:432])
	binary.LittleEndian.PutUint32(b[432:], p.bios.extent*4)
	g := p.guid(0)
	copy(b[440:444], g[12:16])
	total := p.sectors512()
	putMBRPart(b[446:], 0x80, 0x00, 0, total)
	if p.efi != nil {
		s, n := p.efiRange()
		putMBRPart(b[462:], 0x00, 0xEF, s, n)
	}
	b[510], b[511] = 0x55, 0xAA
	return b
}

// gptArray returns the GPT partition entry array: the ISO image and the EFI
// image, as xorriso's -isohybrid-gpt-basdat makes them.
func (p *plan) gptArray() []byte {
	a := make([]byte, gptEntries*gptEntrySize)
	ent := func(i int, typ [16]byte, start, last uint64, name string) {
		e := a[i*gptEntrySize:]
		copy(e[0:16], typ[:])
		g := p.guid(i + 1)
		copy(e[16:32], g[:])
		binary.LittleEndian.PutUint64(e[32:], start)
		binary.LittleEndian.PutUint64(e[40:], last)
		binary.LittleEndian.PutUint64(e[48:], 1<<60|1) // read-only, required
		for k, u := range utf16.Encode([]rune(name)) {
			binary.LittleEndian.PutUint16(e[56+2*k:], u)
		}
	}
	total := p.sectors512()
	ent(0, gptBasicData, 0, total-gptSectors-2, "ISO9660")
	if p.efi != nil {
		s, n := p.efiRange()
		ent(1, gptESP, s, s+n-1, "EFI boot")
	}
	return a
}

// gptHeader returns a GPT header sector: primary (at sector 1) or backup
// (at the last sector).
func (p *plan) gptHeader(array []byte, primary bool) []byte {
	total := p.sectors512()
	b := make([]byte, 512)
	copy(b, "EFI PART")
	binary.LittleEndian.PutUint32(b[8:], 0x00010000)
	binary.LittleEndian.PutUint32(b[12:], 92)
	my, alt, entries := uint64(1), total-1, uint64(2)
	if !primary {
		my, alt, entries = total-1, 1, total-1-gptSectors
	}
	binary.LittleEndian.PutUint64(b[24:], my)
	binary.LittleEndian.PutUint64(b[32:], alt)
	binary.LittleEndian.PutUint64(b[40:], 2+gptSectors)
	binary.LittleEndian.PutUint64(b[48:], total-gptSectors-2)
	g := p.guid(0)
	copy(b[56:72], g[:])
	binary.LittleEndian.PutUint64(b[72:], entries)
	binary.LittleEndian.PutUint32(b[80:], gptEntries)
	binary.LittleEndian.PutUint32(b[84:], gptEntrySize)
	binary.LittleEndian.PutUint32(b[88:], crc32.ChecksumIEEE(array))
	binary.LittleEndian.PutUint32(b[16:], crc32.ChecksumIEEE(b[:92]))
	return b
}

// systemArea returns the 16 sectors before the volume descriptors.
func (p *plan) systemArea() []byte {
	b := make([]byte, systemSectors*sector)
	if !p.hybrid {
		return b
	}
	copy(b, p.mbr())
	arr := p.gptArray()
	copy(b[512:], p.gptHeader(arr, true))
	copy(b[1024:], arr)
	return b
}

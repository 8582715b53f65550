// Package fat builds FAT12 and FAT16 file system images in pure Go, without
// mtools or mkfs.vfat. Its purpose is the EFI System Partition image that an
// El Torito UEFI boot entry points at (EFI/BOOT/BOOTX64.EFI, a grub.cfg, ...),
// but any small tree of files and directories will do.
//
// The layout follows Microsoft's "FAT: General Overview of On-Disk Format"
// (version 1.03, 2000), cited below as "FAT spec" with its section names:
// one reserved sector holding the boot sector and BIOS Parameter Block, two
// copies of the FAT, a fixed-size root directory, then the data region.
// The FAT type is not chosen by name but follows from the count of data
// clusters, as the FAT spec's "FAT Type Determination" demands: fewer than
// 4085 clusters is FAT12, fewer than 65525 is FAT16. FAT32 is not written.
//
// Like the iso package, it plans, then streams. [Config.Plan] (or
// [Config.PlanFS]) computes the whole layout from metadata alone (paths,
// sizes, times), so [Image.Size] is known before a byte is written;
// [Image.WriteTo] then writes the image front to back in one pass, opening
// each file only while its clusters are written. A source whose size
// differs from the planned size is an error, never a wrong image.
//
// Names that are not already valid upper-case 8.3 names get VFAT long file
// name entries (UTF-16, up to 255 units) ahead of a generated short name
// ("GRUB.CFG" for grub.cfg, "LONGNA~1.TXT" for long name.txt). Siblings are
// laid out in byte order of their names and short-name tails are given in
// that order, so the same entries, times, label and serial always give the
// same bytes. The clock is never read.
package fat

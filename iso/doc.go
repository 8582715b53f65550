// Package iso writes ISO 9660 images: the file system of CDs, DVDs and the
// live images that boot from them or from a USB stick.
//
// It follows ECMA-119, 4th edition (2019), which is ISO 9660:1988 with its
// amendments, at interchange level 3 (files of 4 GiB and more are written as
// several extents). On top of it the writer adds
//
//   - Rock Ridge (RRIP 1.12 over SUSP 1.12, identified as "RRIP_1991A" as
//     xorriso does): POSIX modes, owners, link counts, timestamps, full
//     names, symbolic links, hard links that share one extent, continuation
//     areas for entries that do not fit a directory record, and relocation
//     of directories deeper than the eight levels ISO 9660 allows;
//   - Joliet: a second directory tree with UCS-2 names;
//   - El Torito: a boot catalog with a BIOS no-emulation entry (with the
//     boot information table patched into the boot image, as xorriso's
//     -boot-info-table does) and a UEFI entry (platform 0xEF) pointing at a
//     FAT image inside the tree;
//   - a hybrid system area: an MBR built from an isohybrid template
//     (isohdpfx.bin, as xorriso's -isohybrid-mbr) and a GPT, so the same
//     image boots from a USB stick on BIOS and on UEFI.
//
// # Plan, then stream
//
// Entries are added with their metadata only (Writer.Add, Writer.AddFS);
// a file carries its size and a function that opens it. The layout is
// computed from that metadata alone, then Writer.WriteTo writes the image
// front to back in one pass: no seeking, no staging copy, at most five
// source files open at a time (small files are read a few ahead). The output can be a file, a pipe or a hash. A file whose
// size differs from the one it was added with is an error, never a wrong
// image. WriteFile writes an image to a path atomically.
//
// Layout steps, in the order the image is written:
//
//  1. system area (16 sectors): zeros, or the hybrid MBR and the primary GPT;
//  2. volume descriptors: primary, El Torito boot record, Joliet
//     supplementary, terminator;
//  3. path tables: ISO 9660 type L and M, then Joliet L and M;
//  4. the El Torito boot catalog;
//  5. ISO 9660 directories (path table order);
//  6. Rock Ridge continuation areas, then the Joliet directories;
//  7. file data: the boot images first, then every other file in path table
//     order of its directory and name order within it;
//  8. padding and, for a hybrid image, the backup GPT.
//
// # Names
//
// Rock Ridge carries names as given (bytes, up to 255). The ISO 9660 names
// are upper case d-characters (A-Z, 0-9, _), at most 30 characters plus
// ";1" for files and 31 for directories; every other character becomes '_'.
// Joliet names are UTF-16 big endian without version suffix, at most 64
// code units; characters outside the Basic Multilingual Plane (UCS-2 cannot
// hold them), control characters and * / : ; ? \ become '_', and invalid
// UTF-8 becomes U+FFFD. When shortening or mapping makes two names of one
// directory equal, the later one in byte order of the original names gets a
// decimal number before its extension (FOO1.TXT, FOO2.TXT, ...); the result
// depends only on the set of names, never on the order of Add calls.
//
// # What each view shows
//
// Rock Ridge shows the tree as added. The ISO 9660 and Joliet views show
// symlinks as empty files and hard links as files sharing one extent.
// Directories deeper than eight levels are relocated to rr_moved in the ISO
// 9660 tree only (Rock Ridge readers put them back); the Joliet tree keeps
// the real depth. Device files, pipes and sockets are not supported (AddFS
// reports them as errors), so Rock Ridge PN entries are never written.
//
// # Making a bootable image
//
// The boot files are ordinary entries of the tree; Options.Boot names them
// by path:
//
//	w := iso.NewWriter(&iso.Options{
//		VolumeID: "STRATA_LIVE",
//		ModTime:  time.Unix(315532800, 0), // or iso.SourceDateEpoch(os.Getenv)
//		Boot: &iso.Boot{
//			BIOS:      "isolinux/isolinux.bin", // El Torito entry 1, load size 4, boot info table
//			Catalog:   "isolinux/boot.cat",     // default: boot.cat next to the BIOS image
//			EFI:       "boot/efiboot.img",      // El Torito entry 2 (0xEF): a FAT image in the tree
//			HybridMBR: isohdpfx,                // 432 (or 512) bytes of isohdpfx.bin; nil: no MBR/GPT
//		},
//	})
//	if err := w.AddFS(os.DirFS(dir)); err != nil { ... }
//	err := iso.WriteFile(ctx, "out.iso", w)
//
// With HybridMBR set, the MBR gets the template's boot code patched with the
// BIOS image's address, partition 1 (bootable, type 0x00) covering the whole
// image and, when EFI is set, partition 2 (type 0xEF) covering the FAT image;
// a GPT describes the same two partitions and the image is padded to a whole
// MiB with the backup GPT at its end. This is the layout of
// `xorriso -as mkisofs -isohybrid-mbr ... -e ... -isohybrid-gpt-basdat`.
//
// # Reproducibility
//
// With Options.ModTime set, every timestamp in the image is that time and
// the same entries give the same bytes. The writer never reads the clock;
// SourceDateEpoch reads SOURCE_DATE_EPOCH for command line tools.
//
// Package iso imports nothing from the rest of strata.
package iso

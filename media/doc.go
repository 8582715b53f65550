// Package media turns a merged strata configuration into boot media: an ISO
// 9660 live image laid out like NixOS's installation images, and a netboot
// folder for iPXE.
//
// The core takes a plain Go value, [Spec], which says everything the media
// need: the volume ID, the kernel, initrd and boot loader files (strata
// builds none of them; they are inputs), the kernel command line, the menu
// labels and timeout, extra contents, which boot paths to make, and the
// merged configuration as JSON. [FromResult] fills a Spec from a
// *merge.Result (the options of the profiles package); a Go program may
// equally fill one by hand.
//
// [Plan] checks a Spec and lays the image out without reading any file
// contents: every file with its size and an opener, the generated boot loader
// configurations, and the El Torito and hybrid boot settings. [Layout.WriteTo]
// then streams the image front to back through the iso package, so it can go
// to a file, a pipe or a hash; [Layout.NewWriter] gives the iso.Writer itself,
// for iso.WriteFile's atomic output and a progress callback. [PlanNetboot]
// and [Netboot.WriteDir] do the same for a netboot folder.
//
// Mistakes in the configuration (a missing kernel or boot loader file, a
// volume ID that iso.CheckVolumeID rejects, two contents with one
// target, a file where a folder must be) are hcl.Diagnostics that name the
// option and, through Spec.Places, every definition of it; their Extra has
// a Places method. Plain Go errors are for input and output while writing.
//
// # Image layout
//
// The layout is that of ../shared/tools/make-reference-iso, which follows
// NixOS's iso-image module:
//
//	/isolinux/isolinux.bin   El Torito BIOS entry (no emulation, load size 4,
//	                         boot info table); the isohybrid MBR points at it
//	/isolinux/ldlinux.c32    isolinux's core module
//	/isolinux/isolinux.cfg   generated: default entry and serial-console entry
//	/isolinux/boot.cat       El Torito boot catalog
//	/boot/bzImage            the kernel (boot.files.kernel), named by
//	                         system.boot.loader.kernelFile
//	/boot/initrd             the initrd (boot.files.initrd), named by
//	                         system.boot.loader.initrdFile
//	/boot/grub/grub.cfg      generated: read by the EFI loader
//	/boot/grub/strata.tag    empty marker the EFI loader searches for
//	/boot/efiboot.img        FAT image with EFI/BOOT/BOOTX64.EFI: El Torito
//	                         EFI entry, and partition 2 of the hybrid MBR/GPT
//	/EFI/BOOT/BOOTX64.EFI    the EFI loader again, for firmware that reads
//	                         the ISO 9660 tree itself
//	/version.txt             the system's label (system.nixos.label)
//	/strata/config.json      the merged configuration (see [ConfigPath])
//
// plus isoImage.contents grafted at their targets. The isolinux files are
// there only when the image is BIOS- or USB-bootable, the EFI and GRUB files
// only when it is EFI-bootable. A configuration without isoImage options
// (the netboot base) gets the minimal image; see [FromResult].
//
// # Boot menus
//
// The default entry is labelled as NixOS labels its entries,
// <prependToMenuLabel><distroName> <label><appendToMenuLabel>, with
// isoImage.configurationName, when set, after the label (see [Spec.Label]);
// a second entry adds console=ttyS0,115200 to the command line. GRUB echoes
// "strata: booting <label>" before it loads the kernel. The kernel command line is
// boot.kernelParams, space-separated, in order. The timeout is
// boot.loader.timeout seconds; null waits for a choice, 0 boots at once.
package media

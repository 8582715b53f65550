// Package profiles ships the base modules that turn a host configuration
// into image media: cd-dvd.hcl, installer.hcl and netboot.hcl, faithful to
// the NixOS modules of the same purpose. [FS] returns them as a file system
// to register as the search root [Root] ("profiles"), so that a host writes
//
//	imports = ["<profiles/installer.hcl>"]
//
// The strata command registers the root by default.
//
// The bases share declaration modules under options/: filesystems.hcl
// (fileSystems, swapDevices, LUKS devices), boot.hcl (boot loader, kernel
// parameters, initial ramdisk, boot inputs), system.hcl, users.hcl and
// host.hcl (settings a NixOS host commonly makes, such as
// boot.loader.grub.device, networking.firewall or time.timeZone, declared so
// that such a host evaluates with a base); iso-image.hcl (isoImage.*) comes
// with cd-dvd and installer only, netboot.hcl (netboot.*) with netboot only,
// as in NixOS. Every option is declared with NixOS's name, type and
// default, and has a description; docs/options.md lists them.
//
// # The bases
//
// cd-dvd.hcl follows nixos/modules/installer/cd-dvd/iso-image.nix: a live
// ISO image. "/" is a tmpfs (mode=0755), "/iso" is the medium (/dev/root,
// needed for boot, not checked), "/nix/.ro-store" a squashfs on it (loop),
// "/nix/.rw-store" a tmpfs and "/nix/store" an overlay of the two. GRUB is
// off, the menu waits 10 seconds, the kernel gets boot.shell_on_fail and
// root=LABEL=<isoImage.volumeID>, the initial ramdisk gets the squashfs,
// iso9660, uas and overlay modules (loop and overlay always loaded) and
// vfat support, and an assertion keeps the volume ID within 32 characters.
//
// installer.hcl follows installation-cd-base.nix, profiles/installation-
// device.nix and profiles/base.nix: it imports the cd-dvd base, makes the
// image EFI- and USB-bootable, adds the "nixos" user (a normal user in
// wheel, networkmanager and video) and gives it and root an empty password,
// logs "nixos" in on the consoles, lets wheel use sudo with no password,
// keeps the documentation, runs sshd and wpa_supplicant, sets
// system.nixos.variant_id to "installer", adds a Memtest86+ menu entry, sets
// vm.overcommit_memory to 1 and lists the file systems of profiles/base.nix
// (btrfs, cifs, f2fs, ntfs, vfat, xfs, zfs) in boot.supportedFilesystems.
//
// netboot.hcl follows nixos/modules/installer/netboot/netboot.nix: the same
// tmpfs root and store mounts, with the squashfs beside stage 1's root in
// the initial ramdisk rather than on a medium; no "/iso", no root=LABEL=;
// GRUB off, a 10-second menu, and the squashfs and overlay modules in the
// initial ramdisk (loop and overlay always loaded).
//
// # Priorities
//
// The bases enforce what the image needs to work with mkImageMediaOverride
// (priority 60, [github.com/strata-build/strata/priority.ImageMedia]): it
// beats a host's plain definitions (100) and yields to mkForce (50). Where
// the override stands decides what it shadows:
//
//   - cd-dvd and netboot wrap each of their mount points on its own, and the
//     definition of fileSystems itself stays plain. A host's plain
//     definition of one of those keys loses, a host's mkForce on that key
//     wins, and the host's other keys ("/home", ...) are kept.
//   - installer wraps the whole of fileSystems, swapDevices (as []) and
//     boot.initrd.luks.devices (as {}): every host definition of those
//     options is shadowed, whatever its keys, even one with mkForce on a
//     single key. Only a definition of the whole option at a lower number,
//     fileSystems = mkForce({...}), replaces the installer's layout.
//   - boot.loader.grub.enable is false at 60 in cd-dvd (and so installer),
//     but plain in netboot, as in NixOS: a host that sets it to true under
//     netboot gets a conflict, not a silent winner.
//   - installer: security.sudo.wheelNeedsPassword = false, documentation.enable
//     and documentation.nixos.enable = true are at 60; services.openssh.enable,
//     its PermitRootLogin "yes", networking.wireless.enable, security.sudo.enable
//     and system.nixos.variant_id are mkDefault (1000), for the host to
//     change; the "nixos" user, the empty initialHashedPassword of it and of
//     root, services.getty.autologinUser and security.polkit.enable are plain
//     (100), so a different plain host value is a conflict, as in NixOS.
//   - boot.loader.timeout = 10, the kernel parameters, the initrd modules and
//     the file-system lists are plain; the lists are concatenated with the
//     host's, the base's entries first.
//
// # Options the media builder reads
//
// strata does not build kernels, initial ramdisks or boot loaders: the
// files an image boots from are options of type nullOr(path), null by
// default, that a host (or the command line) sets:
//
//	boot.files.kernel        the kernel image (bzImage)
//	boot.files.initrd        the initial ramdisk
//	boot.files.isolinux      isolinux.bin, for BIOS boot
//	boot.files.ldlinux       ldlinux.c32, loaded by isolinux.bin
//	boot.files.isohybridMbr  isohdpfx.bin, for BIOS boot from USB
//	boot.files.efiLoader     BOOTX64.EFI, for UEFI boot
//
// For an ISO image the media builder also reads isoImage.volumeID (the
// volume label; the kernel looks for it in root=LABEL=), isoImage.contents
// (further files, each a source path and a target in the image),
// isoImage.makeBiosBootable, makeEfiBootable and makeUsbBootable,
// isoImage.prependToMenuLabel, appendToMenuLabel and configurationName,
// system.nixos.distroName and system.nixos.label (the menu entry reads
// <prepend><distroName> <label><append>), boot.loader.timeout (seconds; null
// waits forever), boot.kernelParams, and system.boot.loader.kernelFile and
// initrdFile (the names under /boot). For a netboot tree it reads
// boot.files.kernel, boot.files.initrd, boot.kernelParams, the two file names
// and netboot.ipxeScriptName. The other isoImage and netboot options
// (forceTextMode, showConfiguration, the splash images, compressImage, the
// squashfs compression) are declared as NixOS declares them, so that hosts
// written for NixOS evaluate, but no builder reads them yet.
//
// # Deviations from NixOS
//
// Where strata cannot or need not do what NixOS does:
//
//   - A strata submodule has no config section, so what NixOS's file-system
//     submodule computes from other attributes is written as defaults: the
//     device from label or from a special fsType (a tmpfs's device is
//     "tmpfs"), and fsType, device, options and depends of an overlay. A
//     host that sets options on an overlay replaces the overlay's options
//     rather than adding to them. NixOS's newest x-initrd.mount and
//     x-systemd.* additions to options are not made.
//   - "/nix/.ro-store" is mounted with ["loop"]; NixOS adds threads=multi
//     for kernels from 6.2, and strata does not know the kernel's version.
//   - boot.supportedFilesystems and boot.initrd.supportedFilesystems are
//     lists of names (NixOS also accepts an attribute set of booleans), and
//     they hold what modules put there: NixOS also adds the fsType of every
//     entry of fileSystems.
//   - The default volume ID is <distroId>[-<edition>]-<release>-x86_64,
//     "nixos-26.11-x86_64" with the defaults: strata images are x86_64, and
//     isoImage.makeBiosBootable is true for the same reason. The splash
//     images default to none instead of NixOS's artwork.
//   - The installer does not pull in NixOS's package lists, channel,
//     hardware scanning or help text, which have no strata counterpart.
//   - users.users holds root (uid 0, home /root, group root) from the start,
//     as NixOS's does, but none of NixOS's other system accounts.
package profiles

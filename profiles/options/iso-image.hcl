# Declarations of the ISO image, named as NixOS names them in
# nixos/modules/installer/cd-dvd/iso-image.nix. The cd-dvd base imports
# this module; the media builder reads these options to write the image.

option "isoImage.edition" {
  type        = str
  default     = ""
  description = "The edition of the image, such as \"minimal\"; when not empty it is part of the default volume ID."
  example     = "minimal"
}

option "isoImage.volumeID" {
  type = str
  # NixOS: nixos[-EDITION]-RELEASE-ARCH; strata images are x86_64 only.
  default     = format("%s%s-%s-x86_64", config.system.nixos.distroId, config.isoImage.edition != "" ? format("-%s", config.isoImage.edition) : "", config.system.nixos.release)
  defaultText = "\"<system.nixos.distroId>[-<isoImage.edition>]-<system.nixos.release>-x86_64\", such as \"nixos-26.11-x86_64\""
  description = "The volume ID (label) of the image, at most 32 characters. Stage 1 finds the image by this label (root=LABEL=<volumeID>), so it should be distinctive."
  example     = "MYDISTRO_LIVE"
}

option "isoImage.contents" {
  type        = listOf(submodule)
  default     = []
  description = "Further files and directories to copy into the image, each from source to target (a path inside the image). The kernel, initial ramdisk and boot loader files come from boot.files and need not be listed."
  example     = [{ source = "./README.txt", target = "/README.txt" }]

  option "source" {
    type        = path
    description = "The file or directory to copy. A relative path is relative to the module that sets it."
  }

  option "target" {
    type        = str
    description = "Where the copy goes inside the image, such as /boot/memtest.bin."
  }
}

option "isoImage.compressImage" {
  type        = bool
  default     = false
  description = "Whether to compress the finished image with zstd."
}

option "isoImage.squashfsCompression" {
  type        = nullOr(str)
  default     = "zstd -Xcompression-level 19"
  description = "The mksquashfs compression settings for a store image; null disables compression."
  example     = "xz -Xdict-size 100%"
}

option "isoImage.makeBiosBootable" {
  type        = bool
  default     = true
  defaultText = "true: strata images are x86_64"
  description = "Whether the image boots on BIOS machines, through ISOLINUX (needs boot.files.isolinux and boot.files.ldlinux)."
}

option "isoImage.makeEfiBootable" {
  type        = bool
  default     = false
  description = "Whether the image boots on UEFI machines, from an EFI system partition image holding boot.files.efiLoader."
}

option "isoImage.makeUsbBootable" {
  type        = bool
  default     = false
  description = "Whether the image also boots when written to a USB stick, not only as a CD (an isohybrid MBR from boot.files.isohybridMbr for BIOS, and a partition table for UEFI)."
}

option "isoImage.splashImage" {
  type        = nullOr(path)
  default     = null
  description = "The background picture of the BIOS boot menu, or null for none."
}

option "isoImage.efiSplashImage" {
  type        = nullOr(path)
  default     = null
  description = "The background picture of the UEFI boot menu, or null for none."
}

option "isoImage.prependToMenuLabel" {
  type        = str
  default     = ""
  description = "Text put, with no space added, before the label of the boot menu entries: <prependToMenuLabel><distroName> <label><appendToMenuLabel>."
  example     = "Install "
}

option "isoImage.appendToMenuLabel" {
  type        = str
  default     = " Installer"
  description = "Text put, with no space added, after the label of the boot menu entries: <prependToMenuLabel><distroName> <label><appendToMenuLabel>."
  example     = " Live System"
}

option "isoImage.configurationName" {
  type        = nullOr(str)
  default     = null
  description = "The name of this configuration, shown in the title of its boot entry, or null for none."
  example     = "GNOME"
}

option "isoImage.showConfiguration" {
  type        = bool
  default     = true
  description = "Whether this configuration gets an entry in the boot menu."
}

option "isoImage.forceTextMode" {
  type        = bool
  default     = false
  description = "Whether the boot menu stays in text mode and never tries graphics; useful on serial consoles and when graphics are suspected of a problem."
}

# Declarations of the boot loader, the kernel command line and the initial
# ramdisk, named as NixOS names them (system/boot/loader/loader.nix,
# loader/grub/grub.nix, system/boot/kernel.nix, system/boot/stage-1.nix,
# system/boot/systemd/initrd.nix), and of the boot inputs: strata does not
# build kernels or boot loaders, so the files an image boots from are given
# to it as paths under boot.files.

option "boot.loader.grub.enable" {
  type        = bool
  default     = true
  description = "Whether to install the GRUB boot loader on the target disk. Image bases turn it off: a live image boots through the boot loader files of the image itself."
}

option "boot.loader.grub.memtest86.enable" {
  type        = bool
  default     = false
  description = "Whether to add a Memtest86+ entry to the boot menu."
}

option "boot.loader.timeout" {
  type        = nullOr(int)
  default     = 5
  description = "How many seconds the boot menu waits before it boots the default entry. null waits forever; 0 boots at once."
  example     = 10
}

option "boot.kernelParams" {
  type        = listOf(str)
  default     = []
  description = "The parameters appended to the kernel command line."
  example     = ["console=ttyS0,115200n8"]
}

option "boot.kernel.sysctl" {
  type        = attrsOf(anything)
  default     = {}
  description = "Kernel run-time parameters (sysctl) set at boot, keyed by name. A null value leaves that parameter alone."
  example     = { "net.ipv4.tcp_syncookies" = false, "vm.swappiness" = 60 }
}

option "boot.initrd.availableKernelModules" {
  type        = listOf(str)
  default     = []
  description = "Kernel modules copied into the initial ramdisk, loaded when a device needs them."
  example     = ["sata_nv", "ext3"]
}

option "boot.initrd.kernelModules" {
  type        = listOf(str)
  default     = []
  description = "Kernel modules that the initial ramdisk always loads, early in stage 1."
  example     = ["loop"]
}

option "boot.initrd.systemd.enable" {
  type        = bool
  default     = false
  description = "Whether stage 1 runs systemd rather than the scripted initial ramdisk. The image bases mount the image and pass the root label differently under it."
}

option "system.boot.loader.kernelFile" {
  type        = str
  default     = "bzImage"
  description = "The file name of the kernel on boot media: the kernel is written to /boot/<kernelFile> of an ISO image and to <kernelFile> of a netboot tree."
}

option "system.boot.loader.initrdFile" {
  type        = str
  default     = "initrd"
  description = "The file name of the initial ramdisk on boot media: /boot/<initrdFile> of an ISO image, <initrdFile> of a netboot tree."
}

option "boot.files.kernel" {
  type        = nullOr(path)
  default     = null
  description = "The Linux kernel image (bzImage) the media boot. strata does not build kernels: give the path of one, for example /boot/vmlinuz-<version> of a Debian machine. A relative path is relative to the module that sets it. Building boot media fails while this is null."
  example     = "/boot/vmlinuz-6.12.0-1-amd64"
}

option "boot.files.initrd" {
  type        = nullOr(path)
  default     = null
  description = "The initial ramdisk the kernel starts with. It must be able to find and mount the image: with the cd-dvd base, by the label given as root=LABEL=<isoImage.volumeID>. A relative path is relative to the module that sets it. Building boot media fails while this is null."
  example     = "./initrd.img"
}

option "boot.files.isolinux" {
  type        = nullOr(path)
  default     = null
  description = "ISOLINUX's El Torito boot image, isolinux.bin (the Debian package isolinux installs it as /usr/lib/ISOLINUX/isolinux.bin). Needed to make an image BIOS-bootable (isoImage.makeBiosBootable)."
  example     = "/usr/lib/ISOLINUX/isolinux.bin"
}

option "boot.files.ldlinux" {
  type        = nullOr(path)
  default     = null
  description = "SYSLINUX's core module ldlinux.c32, which isolinux.bin loads from the image (Debian: /usr/lib/syslinux/modules/bios/ldlinux.c32). Needed for BIOS boot, alongside boot.files.isolinux."
  example     = "/usr/lib/syslinux/modules/bios/ldlinux.c32"
}

option "boot.files.isohybridMbr" {
  type        = nullOr(path)
  default     = null
  description = "The isohybrid MBR boot code, isohdpfx.bin (Debian: /usr/lib/ISOLINUX/isohdpfx.bin), written to the first 432 bytes of the image so that it also boots from a USB stick in BIOS mode. Needed for isoImage.makeUsbBootable together with BIOS boot."
  example     = "/usr/lib/ISOLINUX/isohdpfx.bin"
}

option "boot.files.efiLoader" {
  type        = nullOr(path)
  default     = null
  description = "The UEFI boot loader for x86_64, installed as EFI/BOOT/BOOTX64.EFI in the image's EFI system partition: a GRUB image built with grub-mkstandalone, or any other loader that can start the kernel. Needed for isoImage.makeEfiBootable."
  example     = "./BOOTX64.EFI"
}

# Declarations of the file systems, swap devices and encrypted devices a
# system mounts, named and shaped as NixOS declares them in
# nixos/modules/tasks/filesystems.nix, tasks/filesystems/overlayfs.nix,
# config/swap.nix, system/boot/stage-1.nix and system/boot/luksroot.nix.
#
# NixOS computes some attributes of a file system from the others in a
# config section of the submodule (device from label or from a special
# fsType, fsType, options and depends from overlay). strata submodules have
# no config section, so those rules are written here as the attributes'
# defaults, which read the element's own merged value through `self`.

option "fileSystems" {
  type        = attrsOf(submodule)
  default     = {}
  description = <<-EOT
    The file systems to mount, keyed by mount point. The set must hold an
    entry for the root directory ("/"). Each entry names the device, the file
    system type (fsType, "auto" when not given) and the mount options
    (["defaults"] when not given); a label may stand in for the device.
    EOT
  example = {
    "/"     = { device = "/dev/disk/by-label/nixos", fsType = "ext4" }
    "/data" = { device = "/dev/sdb1", fsType = "xfs", options = ["noatime"] }
  }

  option "mountPoint" {
    type        = strMatching("(/|.*[^/])")
    default     = name
    defaultText = "the attribute name"
    description = "Where the file system is mounted: the mount point of mount(8), fs_file in fstab(5). A trailing slash is not allowed, except for the root directory."
    example     = "/mnt/usb"
  }

  option "device" {
    type = nullOr(nonEmptyStr)
    default = (self.label != null
      ? format("/dev/disk/by-label/%s", replace(replace(self.label, " ", "\\040"), "\t", "\\011"))
      : (contains(["proc", "sysfs", "tmpfs", "ramfs", "devtmpfs", "devpts"], self.fsType)
        ? self.fsType
    : (self.overlay.lowerdir != null ? "overlay" : null)))
    defaultText = "\"/dev/disk/by-label/<label>\" when label is set; the fsType itself for proc, sysfs, tmpfs, ramfs, devtmpfs and devpts; \"overlay\" for an overlay; otherwise null"
    description = "The device passed to mount(8): a block device such as /dev/sdc3, a tag such as UUID=..., the source directory of a bind mount, or whatever the fsType expects (host:/dir for nfs). It is fs_spec in fstab(5)."
    example     = "/dev/sda1"
  }

  option "fsType" {
    type        = nonEmptyStr
    default     = (self.overlay.lowerdir != null ? "overlay" : "auto")
    defaultText = "\"overlay\" when overlay.lowerdir is set, otherwise \"auto\""
    description = "The file system type, as passed to mount -t; fs_vfstype in fstab(5)."
    example     = "ext4"
  }

  option "options" {
    type = nonEmptyListOf(nonEmptyStr)
    default = (self.overlay.lowerdir != null
      ? concat(
        [format("lowerdir=%s", join(":", [for d in self.overlay.lowerdir : format("%s%s", ((config.boot.initrd.systemd.enable && self.overlay.useStage1BaseDirectories && (self.neededForBoot || contains(["/", "/nix", "/nix/store", "/var", "/var/log", "/var/lib", "/var/lib/nixos", "/etc", "/usr"], self.mountPoint))) ? "/sysroot" : ""), d)]))],
        self.overlay.upperdir != null ? [
          format("upperdir=%s%s", ((config.boot.initrd.systemd.enable && self.overlay.useStage1BaseDirectories && (self.neededForBoot || contains(["/", "/nix", "/nix/store", "/var", "/var/log", "/var/lib", "/var/lib/nixos", "/etc", "/usr"], self.mountPoint))) ? "/sysroot" : ""), self.overlay.upperdir),
          format("workdir=%s%s", ((config.boot.initrd.systemd.enable && self.overlay.useStage1BaseDirectories && (self.neededForBoot || contains(["/", "/nix", "/nix/store", "/var", "/var/log", "/var/lib", "/var/lib/nixos", "/etc", "/usr"], self.mountPoint))) ? "/sysroot" : ""), self.overlay.workdir),
      ] : [])
    : ["defaults"])
    defaultText = "the lowerdir=, upperdir= and workdir= options of an overlay, otherwise [\"defaults\"]"
    description = "The mount options, as passed to mount -o; fs_mntops in fstab(5)."
    example     = ["data=journal"]
  }

  option "depends" {
    type = listOf(strMatching("(/|.*[^/])"))
    default = (self.overlay.lowerdir != null
      ? concat(self.overlay.lowerdir, self.overlay.upperdir != null ? [self.overlay.upperdir, self.overlay.workdir] : [])
    : [])
    defaultText = "the lower, upper and work directories of an overlay, otherwise []"
    description = "Paths that must be mounted before this file system. The device and the mount point are always taken into account and need not be listed."
    example     = ["/persist"]
  }

  option "label" {
    type        = nullOr(nonEmptyStr)
    default     = null
    description = "The label of the device. Setting it makes the device /dev/disk/by-label/<label>; the file system must support labels."
    example     = "root-partition"
  }

  option "neededForBoot" {
    type        = bool
    default     = false
    description = "Whether the initial ramdisk (stage 1) mounts this file system, because booting needs it. The root directory, /nix and /nix/store are always mounted there."
  }

  option "noCheck" {
    type        = bool
    default     = false
    description = "Whether to skip fsck on this file system."
  }

  option "autoFormat" {
    type        = bool
    default     = false
    description = "Whether to format the device with fsType when it holds no file system yet. Use with care."
  }

  option "autoResize" {
    type        = bool
    default     = false
    description = "Whether to grow the file system to the size of its partition before mounting it (ext2/3/4, btrfs and xfs)."
  }

  option "overlay.lowerdir" {
    type        = nullOr(nonEmptyListOf(str))
    default     = null
    description = "The lower directories of an overlay file system. Setting it makes this entry an overlay: fsType, device, options and depends then default to what the overlay needs. A writable overlay also needs upperdir and workdir; a read-only one needs at least two lower directories."
    example     = ["/nix/.ro-store"]
  }

  option "overlay.upperdir" {
    type        = nullOr(str)
    default     = null
    description = "The upper (writable) directory of an overlay. Leave it null for a read-only overlay; set workdir along with it."
    example     = "/nix/.rw-store/store"
  }

  option "overlay.workdir" {
    type        = nullOr(str)
    default     = null
    description = "The work directory of an overlay, on the same file system as upperdir. It must be set when upperdir is."
    example     = "/nix/.rw-store/work"
  }

  option "overlay.useStage1BaseDirectories" {
    type        = bool
    default     = true
    description = "With the systemd initial ramdisk, whether the overlay's directories of a file system needed for boot are prefixed with /sysroot."
  }
}

option "swapDevices" {
  type        = listOf(submodule)
  default     = []
  description = "The swap devices and swap files to activate."
  example     = [{ device = "/dev/disk/by-label/swap" }, { device = "/var/swapfile", size = 2048 }]

  option "device" {
    type = nonEmptyStr
    # NixOS: required, unless label gives it. A swap device with neither is
    # reported as a null device.
    default     = (self.label != null ? format("/dev/disk/by-label/%s", self.label) : null)
    defaultText = "\"/dev/disk/by-label/<label>\" when label is set; otherwise it must be given"
    description = "The path of the swap device or swap file. It must be given unless label is."
    example     = "/dev/sda3"
  }

  option "label" {
    type        = nullOr(nonEmptyStr)
    default     = null
    description = "The label of the swap device."
    example     = "swap"
  }

  option "size" {
    type        = nullOr(int)
    default     = null
    description = "When set, the size of the swap file to create, in megabytes."
    example     = 2048
  }

  option "priority" {
    type        = nullOr(intBetween(0, 32767))
    default     = null
    description = "The priority of this swap device; higher numbers are used first. null lets the kernel choose."
    example     = 2048
  }

  option "discardPolicy" {
    type        = nullOr(enum(["once", "pages", "both"]))
    default     = null
    description = "Whether and how to discard (TRIM) the swap space: once at activation, freed pages, or both. null leaves it off."
    example     = "once"
  }

  option "options" {
    type        = nonEmptyListOf(nonEmptyStr)
    default     = ["defaults"]
    description = "The options written to fstab for this swap device."
    example     = ["nofail"]
  }

  option "randomEncryption.enable" {
    type        = bool
    default     = false
    description = "Whether to encrypt the swap space with a fresh random key at every boot."
  }
}

option "boot.supportedFilesystems" {
  type        = listOf(str)
  default     = []
  description = "The names of further file system types the system can mount."
  example     = ["btrfs", "xfs"]
}

option "boot.initrd.supportedFilesystems" {
  type        = listOf(str)
  default     = []
  description = "The names of further file system types the initial ramdisk can mount."
  example     = ["btrfs"]
}

option "boot.initrd.luks.devices" {
  type        = attrsOf(submodule)
  default     = {}
  description = "The LUKS-encrypted devices the initial ramdisk opens, keyed by the name of the decrypted device under /dev/mapper."
  example     = { cryptroot = { device = "/dev/disk/by-uuid/430e9eff-d852-4f68-aa3b-2fa3599ebe08" } }

  option "name" {
    type        = str
    default     = name
    defaultText = "the attribute name"
    description = "The name of the decrypted device, under /dev/mapper."
  }

  option "device" {
    type        = str
    description = "The path of the encrypted device."
    example     = "/dev/disk/by-uuid/430e9eff-d852-4f68-aa3b-2fa3599ebe08"
  }

  option "header" {
    type        = nullOr(str)
    default     = null
    description = "The device or file holding a detached LUKS header, or null when the header is on the device."
  }

  option "keyFile" {
    type        = nullOr(str)
    default     = null
    description = "The file or device to read the key from, or null to ask for a passphrase."
  }

  option "allowDiscards" {
    type        = bool
    default     = false
    description = "Whether to pass discard (TRIM) requests through to the device. This can leak which blocks are in use."
  }

  option "preLVM" {
    type        = bool
    default     = true
    description = "Whether to open the device before LVM volumes are scanned."
  }
}
